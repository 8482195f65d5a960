"""GridCert's wizard (PySide6): presentation only; every change goes through app.actions."""
