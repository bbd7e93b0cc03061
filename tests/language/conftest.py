# The pytester fixture is enabled in test_pytest_plugin.py itself: `pytest_plugins` in a
# non-top-level conftest is an error when the whole suite runs from the repository root.
