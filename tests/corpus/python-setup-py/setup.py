from setuptools import setup

setup(
    name="corpus-setup",
    version="0.1.0",
    packages=["corpus_setup"],
    entry_points={"console_scripts": ["corpus-setup-serve = corpus_setup:main"]},
)
