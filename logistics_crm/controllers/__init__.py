from . import portal
from . import xlsx_export
