"""The bounds of what an event carries, in one place: the HTTP schema (`api.routes.events`)
and the event parser (`graph.journeys.parse_event`) both read them, so an event the API
accepts is one the parser accepts."""

EVENT_KINDS: tuple[str, ...] = ("touch", "conversion")
# Inclusive bounds of an event's numbers.
EVENT_BOUNDS: dict[str, tuple[float, float]] = {
    "cost": (0.0, 1e7),  # dollars spent on the touch
    "revenue": (0.0, 1e9),  # dollars of the conversion
    "sii": (0.0, 100.0),  # storm impact index
    "uplift": (-1.0, 1.0),  # uplift score of the play for the person
}
EVENT_YEARS: tuple[int, int] = (1990, 2099)  # an event's time lies in these years
