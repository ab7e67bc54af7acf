"""Importing contract files (spec section 2): file -> validated frames -> one transaction.

One stage per module, each importing only the ones before it:

- `contract.py`  the contract's tables and columns, the reports, and how a problem is named
                 (a file, a line, a column, an i18n key and its parameters)
- `read.py`      file or upload -> text columns, within the limits of `config.ImportLimits`
- `validate.py`  text columns -> typed rows and every problem; reads the warehouse, writes nothing
- `write.py`     a clean report -> one transaction

`repurchase.warehouse.importer` is the public face (callers import that); this package may
import `repurchase.config`, `errors`, the i18n catalogue (the English of a problem, for the CLI)
and `warehouse`, nothing above them. A problem in the user's language is the ui's
(`repurchase.ui.import_problems`).
"""
