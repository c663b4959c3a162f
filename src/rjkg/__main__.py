from rjkg.cli import app

app()
