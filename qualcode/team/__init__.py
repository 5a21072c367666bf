"""Team coding: double-coding samples, blind mode, inter-coder agreement on a project, disagreements
and consensus. Plain library code; the commands are in ``qualcode.cli.team_cmds``."""
