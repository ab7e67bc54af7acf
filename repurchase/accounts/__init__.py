"""Accounts: what an account is (account.py), passwords, sign-in sessions, the guessing
throttle, signing in (auth.py), users and company sign-in.

Imports the warehouse and config, errors, codes; nothing above.
"""
