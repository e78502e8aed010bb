"""Great Expectations suites and the blocking checks that run them."""
