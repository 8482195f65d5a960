"""Pure certificate logic: reading, understanding, chains, catalog. No Qt, no OS stores."""
