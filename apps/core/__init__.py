"""The kernel every app may use: small helpers without models."""
