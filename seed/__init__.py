"""The sample cities: builder (from ../shared/data) and loader."""
