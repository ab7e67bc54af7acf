"""Use cases: each function takes the signed-in User and does the authorization.

Pages (through ui/) and the CLI both call these. Imports everything below it, nothing above.
"""
