"""Channel adapters: each turns a real wire format into core types and sends replies."""
