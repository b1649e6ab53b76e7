from . import logistics_churn_report
