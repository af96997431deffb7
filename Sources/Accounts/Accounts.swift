// Accounts module.
