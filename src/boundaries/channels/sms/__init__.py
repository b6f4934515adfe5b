"""Text messages through Twilio: the inbound webhook, STOP/START/HELP, and replies."""
