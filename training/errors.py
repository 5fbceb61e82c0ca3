class UserError(Exception):
    """Bad input from the user (data, arguments, paths): printed as one line, exit status 2."""
