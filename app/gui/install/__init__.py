"""The *Install certificates* flow's pages, one module each, in the order the person meets
them: files → review → password → where → confirm → progress → done (the order and when
Next is allowed are app.gui.navigation's INSTALL_FLOW; where each page is, app.gui.registry).
"""
