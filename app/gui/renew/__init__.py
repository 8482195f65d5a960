"""The *Renew a certificate* flow: `flow` (page ids, state, rules, `register()`), then one
module per page: how → new_file | request | complete → where → run → done; `common` holds
what the pages share and `reminder` the daily-reminder switch it adds to the Check page.
"""
