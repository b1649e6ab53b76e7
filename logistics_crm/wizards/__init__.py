from . import logistics_tier_force_wizard
from . import logistics_abc_export_wizard
from . import logistics_sla_report_wizard
