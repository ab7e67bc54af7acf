"""An import's problems and warnings, by key, as the importer (warehouse/importing) names them."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "import.table.file": {"en": "file", "zh": "文件"},
    "import.table.line": {"en": "line", "zh": "行号"},
    "import.table.column": {"en": "column", "zh": "列"},
    "import.table.problem": {"en": "problem", "zh": "问题"},
    "import.file.not_found": {"en": "file not found", "zh": "找不到文件"},
    "import.file.broken_link": {
        "en": "is a symbolic link to {target}, which does not exist",
        "zh": "是指向 {target} 的符号链接,但目标不存在",
    },
    "import.file.directory": {
        "en": "is a directory, not a file; name the CSV or Parquet files inside it",
        "zh": "是文件夹而不是文件;请指定其中的 CSV 或 Parquet 文件",
    },
    "import.file.not_regular": {
        "en": "is not a regular file (a device, pipe or socket); save the export to a file",
        "zh": "不是普通文件(设备、管道或套接字);请先将导出数据保存为文件",
    },
    "import.file.unreadable": {"en": "cannot be read: {reason}", "zh": "无法读取:{reason}"},
    "import.file.empty": {"en": "the file is empty", "zh": "文件为空"},
    "import.file.type": {
        "en": "unsupported file type {suffix}; use .csv or .parquet",
        "zh": "不支持的文件类型 {suffix};请使用 .csv 或 .parquet",
    },
    "import.file.kind": {
        "en": "cannot tell which table this file holds; name it reps*, customers*, visits* or "
        "orders*, or pass --kind",
        "zh": "无法判断文件属于哪张表;请以 reps、customers、visits 或 orders 开头命名文件"
        "(命令行可用 --kind 指定)",
    },
    "import.file.no_rows": {
        "en": "the file has a header but no data rows",
        "zh": "文件只有表头,没有数据行",
    },
    "import.file.second_of_kind": {
        "en": "a second {kind} file in one import (first: {first}); import them one after the "
        "other",
        "zh": "同一次导入中有第二个 {kind} 文件(第一个:{first});请分批依次导入",
    },
    "import.csv.encoding": {
        "en": "is not UTF-8 text; save the export as UTF-8",
        "zh": "不是 UTF-8 文本;请将导出文件保存为 UTF-8 编码",
    },
    "import.csv.fields": {
        "en": "not valid CSV: this row has {fields} fields, the header has {header}",
        "zh": "CSV 格式错误:此行有 {fields} 个字段,表头有 {header} 个",
    },
    "import.csv.invalid": {"en": "not valid CSV: {detail}", "zh": "CSV 格式错误:{detail}"},
    "import.csv.quoting": {
        "en": "not valid CSV: inconsistent quoting",
        "zh": "CSV 格式错误:引号使用不一致",
    },
    "import.parquet.unreadable": {
        "en": "not a readable Parquet file: {detail}",
        "zh": "无法读取的 Parquet 文件:{detail}",
    },
    "import.parquet.type": {
        "en": "has the Parquet type {type}, which the import cannot take; export it as text, a "
        "number or a date",
        "zh": "的 Parquet 类型为 {type},导入无法接受;请导出为文本、数字或日期",
    },
    "import.limit.file_size": {
        "en": "the file is {size} MB; the limit is {limit} MB per file "
        "(REPURCHASE_IMPORT_MAX_MB): split it or raise the limit",
        "zh": "文件大小为 {size} MB,超过每个文件 {limit} MB 的上限(REPURCHASE_IMPORT_MAX_MB);"
        "请拆分文件或提高上限",
    },
    "import.limit.unpacked": {
        "en": "its values take more than {limit} MB once unpacked, the limit per file "
        "(REPURCHASE_IMPORT_MAX_MB): split it or raise the limit",
        "zh": "解压后的数据超过每个文件 {limit} MB 的上限(REPURCHASE_IMPORT_MAX_MB);"
        "请拆分文件或提高上限",
    },
    "import.limit.rows": {
        "en": "more than {limit} data rows, the limit per file (REPURCHASE_IMPORT_MAX_ROWS): "
        "split it or raise the limit",
        "zh": "数据行超过每个文件 {limit} 行的上限(REPURCHASE_IMPORT_MAX_ROWS);"
        "请拆分文件或提高上限",
    },
    "import.limit.columns": {
        "en": "{columns} columns; the limit is {limit} per file (REPURCHASE_IMPORT_MAX_COLUMNS): "
        "keep the contract's columns, or raise the limit",
        "zh": "共 {columns} 列,超过每个文件 {limit} 列的上限(REPURCHASE_IMPORT_MAX_COLUMNS);"
        "请只保留约定的列,或提高上限",
    },
    "import.limit.field": {
        "en": "a value longer than {limit} characters, the limit "
        "(REPURCHASE_IMPORT_MAX_FIELD_CHARS); is this the right file?",
        "zh": "值的长度超过 {limit} 个字符的上限(REPURCHASE_IMPORT_MAX_FIELD_CHARS);"
        "请确认文件是否正确",
    },
    "import.column.missing": {
        "en": "required column '{name}' is missing",
        "zh": "缺少必需的列 '{name}'",
    },
    "import.column.duplicate": {"en": "column appears more than once", "zh": "列名重复出现"},
    "import.warning.unknown_columns": {
        "en": "{file}: ignored unknown column(s) {columns}",
        "zh": "{file}:已忽略未知的列 {columns}",
    },
    "import.value.required": {
        "en": "'{name}' is empty; a value is required",
        "zh": "'{name}' 为空;此项必填",
    },
    "import.value.too_long": {"en": "longer than {limit} characters", "zh": "超过 {limit} 个字符"},
    "import.value.control": {
        "en": "contains the control character {char}, which no export should hold",
        "zh": "含有控制字符 {char},导出数据中不应出现",
    },
    "import.value.choice": {
        "en": "'{value}' is not one of: {allowed}",
        "zh": "'{value}' 不是以下取值之一:{allowed}",
    },
    "import.value.date": {
        "en": "'{value}' is not a valid ISO-8601 date (YYYY-MM-DD)",
        "zh": "'{value}' 不是有效的 ISO-8601 日期(YYYY-MM-DD)",
    },
    "import.value.datetime": {
        "en": "'{value}' is not a valid ISO-8601 date (YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS])",
        "zh": "'{value}' 不是有效的 ISO-8601 日期(YYYY-MM-DD 或 YYYY-MM-DD HH:MM[:SS])",
    },
    "import.value.future": {"en": "'{value}' is in the future", "zh": "'{value}' 是未来的日期"},
    "import.value.ancient": {
        "en": "'{value}' is implausibly old; check the year",
        "zh": "'{value}' 过于久远,请检查年份",
    },
    "import.value.number": {"en": "'{value}' is not a number", "zh": "'{value}' 不是数字"},
    "import.value.not_finite": {
        "en": "'{value}' is not a finite number",
        "zh": "'{value}' 不是有限的数字",
    },
    "import.value.negative": {"en": "'{value}' is negative", "zh": "'{value}' 为负数"},
    "import.value.too_large": {
        "en": "'{value}' is too large; the largest amount is 999,999,999,999.99",
        "zh": "'{value}' 过大;金额最大为 999,999,999,999.99",
    },
    "import.value.phone": {
        "en": "'{value}' is not a phone number (digits, an optional leading +, spaces, dashes, "
        "parentheses; at most {limit} characters)",
        "zh": "'{value}' 不是电话号码(数字,可带开头的 +、空格、短横线、括号;最多 {limit} 个字符)",
    },
    "import.row.duplicate_id": {
        "en": "duplicate {name} '{value}' (first on line {first})",
        "zh": "{name} '{value}' 重复(首次出现在第 {first} 行)",
    },
    "import.row.hired_young": {
        "en": "hire_date is less than 16 years after birth_date",
        "zh": "hire_date 距 birth_date 不足 16 年",
    },
    "import.row.left_before_hired": {
        "en": "left_date is before hire_date",
        "zh": "left_date 早于 hire_date",
    },
    "import.row.amount_no_order": {
        "en": "an order_amount above 0 on a visit whose result is no_order",
        "zh": "结果为 no_order(暂无采购需求)的回访,order_amount 却大于 0",
    },
    "import.row.amount_not_reached": {
        "en": "an order_amount above 0 on a visit whose result is not_reached",
        "zh": "结果为 not_reached(未联系上)的回访,order_amount 却大于 0",
    },
    "import.row.follow_up_not_after": {
        "en": "follow_up_date '{value}' is not after the visit's day ({day})",
        "zh": "follow_up_date '{value}' 不晚于回访当天({day})",
    },
    "import.row.follow_up_too_far": {
        "en": "follow_up_date '{value}' is more than {days} days after the visit ({day})",
        "zh": "follow_up_date '{value}' 距回访日({day})超过 {days} 天",
    },
    "import.ref.unknown_rep": {
        "en": "unknown rep id '{value}' (not in the warehouse or in this import)",
        "zh": "未知的销售代表编号 '{value}'(数据库和本次导入中都没有)",
    },
    "import.ref.unknown_customer": {
        "en": "unknown customer id '{value}' (not in the warehouse or in this import)",
        "zh": "未知的客户编号 '{value}'(数据库和本次导入中都没有)",
    },
    "import.ref.after_left": {
        "en": "a visit on {day} by rep {rep}, who left on {left}",
        "zh": "回访日期 {day} 晚于销售代表 {rep} 的离职日期 {left}",
    },
    "import.ref.before_created": {
        "en": "a visit on {day} to customer {customer}, created only on {created}",
        "zh": "回访日期 {day} 早于客户 {customer} 的创建日期 {created}",
    },
}
