DATETIME_FORMAT = "j F Y, H:i T"
DATE_FORMAT = "j F Y"

# What forms accept, the first of each also how they show a value and what the admin's
# calendar and clock write: day first ("26/11/2026"), as in Britain and Europe; also with
# dots ("26.11.2026", as German colleagues write), or ISO. Never month first.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
