"""One module per format; each turns a `Playbook` into bytes, without the database."""
