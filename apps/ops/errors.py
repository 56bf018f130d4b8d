"""The one error type of the operations tools: its text is shown to the administrator as is."""


class OpsError(Exception):
    """A refusal or failure explained in Russian; management commands turn it into exit code 1."""
