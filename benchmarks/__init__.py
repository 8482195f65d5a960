"""GridCert's performance suite (`make bench`): figures measured side by side in one run."""
