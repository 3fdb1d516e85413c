"""Spider classes: which URLs to visit, which page object reads them, budgets."""
