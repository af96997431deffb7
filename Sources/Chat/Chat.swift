// Chat module.
