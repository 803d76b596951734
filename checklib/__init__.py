"""What the tests need to check a student's module: loading it, calling it, comparing.

Shipped to students with the public tests (nothing here is secret).
"""
