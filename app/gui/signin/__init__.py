"""*Test sign-in* (issue 14's wizard part): a window that performs the real mutual-TLS
sign-in to the operator with one of the person's certificates and says, in one sentence
and one fix, whether it works and why not.

* `panel.SignInDialog`: the window (address, Test, progress, ✓/⚠/✗ rows, Details, Copy for
  support); the work is `app.actions.probe` in a worker thread.
* `hooks.add_test_sign_in`: the *Test sign-in* buttons on the Install and Renew Done pages
  and the Check page, added through `app.gui.registry.extend_page` (those pages belong to
  other parts and are not edited for this).
"""
