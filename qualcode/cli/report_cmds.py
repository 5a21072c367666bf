"""(commands to come)"""
COMMANDS: list = []
