"""Our number and date formats where Django's locale files disagree with how the language is written locally.

Django looks here first (FORMAT_MODULE_PATH) and falls back to its own file for
any name a module here does not set.
"""
