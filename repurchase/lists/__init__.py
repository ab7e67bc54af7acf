"""Call lists: scoring a day, the rep's list, reasons, value and churn risk, the hold-out draw,
list actions and exports. Imports the model, accounts, the warehouse and config, errors, codes.
"""
