"""Writes the import templates the import screen offers (Odoo's import templates:
``get_import_templates``) to logistics_crm/static/xls/, one per language.

The column headers are the fields' labels as Odoo's import matches them (the
English label, or its zh_CN translation for a user working in Chinese); the
example row imports as it is. Run once after a label changes and commit the
files:

    .venv/bin/python scripts/make_import_templates.py
"""

import datetime
import pathlib

import openpyxl
from openpyxl.styles import Font

XLS_DIR = pathlib.Path(__file__).resolve().parents[1] / "logistics_crm/static/xls"

# (file, [(header, example value)])
TEMPLATES = {
    "logistics_customers_en.xlsx": [
        ("Name", "Example Freight Co., Ltd."),
        ("Is a Company", 1),
        ("Tax ID", "91310115MA1K4EXM1L"),
        ("Unified Social Credit Code", "91310115MA1K4EXM1L"),
        ("Phone", "+86 21 5555 0101"),
        ("Email", "logistics@example-freight.com"),
        ("City", "Shanghai"),
        ("Customer Size", "Medium"),
        ("Typical Order Interval (days)", 7),
        ("Payment Day of Month", 25),
        ("Annual Shipments (est.)", 1200),
        ("Annual Tonnes (est.)", 3500.5),
        ("Typical Commodities", "Electronics on pallets"),
    ],
    "logistics_customers_zh_CN.xlsx": [
        ("名称", "示例货运有限公司"),
        ("是公司", 1),
        ("税号ID", "91310115MA1K4EXM2P"),
        ("统一社会信用代码", "91310115MA1K4EXM2P"),
        ("电话", "+86 21 5555 0102"),
        ("邮箱", "wuliu@example-huoyun.cn"),
        ("城市", "上海"),
        ("客户规模", "中型客户"),
        ("常规下单间隔（天）", 7),
        ("每月付款日", 25),
        ("年运单量（估计）", 1200),
        ("年货运吨数（估计）", 3500.5),
        ("常运货物", "托盘电子产品"),
    ],
    "logistics_volumes_en.xlsx": [
        ("Customer", "Example Freight Co., Ltd."),
        ("Month", datetime.date(2026, 11, 1)),
        ("Shipments", 96),
        ("Weight (t)", 288.5),
        ("TEU", 12),
        ("Revenue", 86500),
        ("Note", "November statement"),
    ],
    "logistics_volumes_zh_CN.xlsx": [
        ("客户", "示例货运有限公司"),
        ("月份", datetime.date(2026, 11, 1)),
        ("运单量", 96),
        ("重量（吨）", 288.5),
        ("TEU", 12),
        ("收入", 86500),
        ("备注", "11月对账单"),
    ],
}


def write_template(path, columns):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Template"
    for col, (header, example) in enumerate(columns, start=1):
        sheet.cell(row=1, column=col, value=header).font = Font(bold=True)
        cell = sheet.cell(row=2, column=col, value=example)
        if isinstance(example, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        letter = openpyxl.utils.get_column_letter(col)
        sheet.column_dimensions[letter].width = max(14, len(header) * 2 + 2)
    # fixed properties: the same input writes the same file
    stamp = datetime.datetime(2026, 1, 1)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "Logistics CRM"
    book.save(path)


def main():
    XLS_DIR.mkdir(parents=True, exist_ok=True)
    for name, columns in TEMPLATES.items():
        write_template(XLS_DIR / name, columns)
        print(XLS_DIR / name)


if __name__ == "__main__":
    main()
