"""The *Move a certificate to another computer* flow: `flow` (page ids, state, rules,
`register()`), then one module per page: what → how → run → done.
"""
