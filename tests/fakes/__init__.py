"""Fakes of operating-system layers that do not exist on the machine running the tests.

Each fake models what the vendor documents (and, where the vendor is silent, what has
been observed and reported, saying so), not just the happy path: a fake that only
succeeds cannot catch the defects that reach users.
"""
