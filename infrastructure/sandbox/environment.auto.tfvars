# What makes this folder the "sandbox" environment: every resource name and tag
# carries it. Your own settings go in terraform.tfvars (see terraform.tfvars.example).
environment = "sandbox"
