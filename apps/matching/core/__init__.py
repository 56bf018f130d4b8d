"""Pure matching core: no Django, typed, deterministic.

`model` holds the input and output types, `criteria` scores a pair and checks hard rules,
`solver` finds the exact optimum (maximum-weight b-matching), `explain` says why a mentee
was left without a mentor, `baseline` holds the greedy and the independent reference solvers
used by tests and the benchmark.
"""
