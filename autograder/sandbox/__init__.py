"""Running student code: the jail, the student process and what they exchange."""
