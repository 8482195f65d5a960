"""GridCert's use cases (install, list, remove, undo, renew, export, check).

They compose `app.core` (reading, chains, catalog) and `app.stores` (one adapter per
store) and own the transaction journal. No Qt here: the CLI and the GUI are thin faces.
"""
