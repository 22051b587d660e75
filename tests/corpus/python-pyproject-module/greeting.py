def greet():
    return "python-pyproject-module: greeting 0.2.0 installed"
