#!/usr/bin/env python3
"""Writes registry-export.csv (GB18030) and registry-export.xlsx: a fake export in the style of
Chinese business-registry services (Qichacha/Tianyancha column names, 万元 capital, dates as
2019/3/1, sectors in words, extra columns). Every company but one is fictional ("示例" = example);
the row for 南京药石科技股份有限公司 carries only its name and place, to show that an import
matches it to the built-in PharmaBlock Sciences rather than adding a duplicate.
Run: python3 make-registry-export.py (needs openpyxl for the .xlsx)."""
import csv, io, os

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

def credit_code(body17):
    """Appends the GB 32100-2015 check character to 17 characters."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(body17, WEIGHTS))
    return body17 + ALPHABET[(31 - total % 31) % 31]

HEADER = ["序号", "企业名称", "英文名", "统一社会信用代码", "法定代表人", "登记状态", "成立日期", "注册资本", "实缴资本",
          "所属省份", "所属城市", "所属区县", "所属行业", "细分领域", "参保人数", "曾用名", "企业地址", "电话", "经营范围"]
ROWS = [
    ["1", "南京示例细胞治疗科技有限公司", "Shili Cell Therapeutics (Nanjing) Co., Ltd.", credit_code("91320191MA1XAMPL0"), "张示例", "存续（在营、开业、在册）",
     "2019/3/1", "1,000万元人民币", "600万元人民币", "江苏省", "南京市", "江北新区", "研究和试验发展", "细胞治疗、基因治疗", "128", "南京示例生物科技有限公司",
     "南京市江北新区示例路1号", "025-00000001", "细胞治疗技术研发；技术服务"],
    ["2", "示例诊断（南京）有限公司", "", credit_code("91320191MA1XAMPL1"), "李示例", "在业", "2020年5月18日", "500万美元", "-",
     "江苏省", "南京市", "江北新区", "专用设备制造业", "体外诊断", "1,203", "", "南京市江北新区示例路2号", "-", "体外诊断试剂研发"],
    ["3", "南京示例医药研发有限公司", "Example CRO Nanjing", credit_code("91320191MA1XAMPL2"), "王示例", "存续", "20210607", "3000万元", "3000万元",
     "江苏省", "南京市", "江北新区", "研究和试验发展", "CRO/CDMO", "56", "", "南京市江北新区示例路3号", "025-00000003", "医药研发外包服务"],
    ["4", "南京示例基因科技有限公司", "Shili Gene", credit_code("91320191MA1XAMPL3"), "赵示例", "注销", "2017-08-21", "200万元人民币", "0万元人民币",
     "江苏省", "南京市", "江北新区", "科技推广和应用服务业", "Gene Therapy", "0", "", "南京市江北新区示例路4号", "-", "基因技术开发"],
    ["5", "南京药石科技股份有限公司", "", "", "-", "存续（在营、开业、在册）", "-", "-", "-",
     "江苏省", "南京市", "江北新区", "-", "CRO/CDMO", "-", "", "-", "-", "-"],
]

here = os.path.dirname(os.path.abspath(__file__))
text = io.StringIO()
csv.writer(text, lineterminator="\r\n").writerows([HEADER] + ROWS)
with open(os.path.join(here, "registry-export.csv"), "wb") as f:
    f.write(text.getvalue().encode("gb18030"))

import datetime, openpyxl
book = openpyxl.Workbook()
sheet = book.active
sheet.title = "企业列表"
sheet.append(HEADER)
for row in ROWS:
    cells = list(row)
    # Dates as real spreadsheet dates where the text is a plain date, as a spreadsheet keeps them.
    for form in ("%Y/%m/%d", "%Y-%m-%d", "%Y%m%d"):
        try:
            cells[6] = datetime.datetime.strptime(row[6], form)
            break
        except ValueError:
            pass
    cells[0] = int(row[0])
    sheet.append(cells)
    if isinstance(cells[6], datetime.datetime):
        sheet.cell(row=sheet.max_row, column=7).number_format = "yyyy/m/d"
book.save(os.path.join(here, "registry-export.xlsx"))
