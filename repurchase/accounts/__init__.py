"""Accounts: passwords, sign-in sessions, the guessing throttle, users and company sign-in.

Imports the warehouse and config, errors, codes; nothing above.
"""
