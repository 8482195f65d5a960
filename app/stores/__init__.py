"""Trust-store adapters: one module per kind of store, all implementing `base.TrustStore`."""
