from . import logistics_xlsx_export_mixin
from . import logistics_tier_force_wizard
from . import logistics_abc_export_wizard
from . import logistics_abc_export_segments
from . import logistics_account_handover_wizard
from . import logistics_visit_compliance_wizard
from . import logistics_sla_report_wizard
from . import logistics_churn_wizard
