"""The Data page: importing files, retraining, the team's ranking, replacing the demo's accounts."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # importing, retraining and the team's ranking
    "data.import": {"en": "Import ERP exports", "zh": "导入 ERP 数据"},
    "data.contract": {
        "en": "CSV (UTF-8) or Parquet files named reps*, customers*, visits*, orders*, with the "
        "import contract's columns. Nothing is written until every row passes.",
        "zh": "CSV(UTF-8)或 Parquet 文件,文件名以 reps、customers、visits、orders 开头,"
        "列名符合导入规范。所有行通过校验后才会写入。",
    },
    "data.files": {"en": "Files", "zh": "文件"},
    "data.unreadable": {
        "en": "{n} problem(s) reading the files:",
        "zh": "读取文件时发现 {n} 个问题:",
    },
    "data.ok": {"en": "All rows pass ({rows}).", "zh": "全部通过校验({rows})。"},
    "data.problems": {
        "en": "{n} problem(s); nothing will be written until they are fixed:",
        "zh": "发现 {n} 个问题;修正前不会写入任何数据:",
    },
    "data.do_import": {"en": "Import", "zh": "导入"},
    "data.retrain": {"en": "Retrain the model", "zh": "重新训练模型"},
    "data.retrain_explain": {
        "en": "Trains on all history (a few minutes), then writes today's lists if there are "
        "none yet. The current model keeps serving until the new one is at least as good on "
        "the same validation weeks.",
        "zh": "使用全部历史数据训练(需几分钟),若今日尚无名单则随后生成。新模型在相同验证周上"
        "不差于当前模型时才会替换,期间当前模型继续使用。",
    },
    "data.do_retrain": {"en": "Retrain now", "zh": "立即训练"},
    "data.train_first": {
        "en": 'No model serves yet, so no call list is written: click "Retrain now" to '
        "train one on your data. Today's lists are written when it finishes.",
        "zh": "尚无可用模型,因此不会生成回访名单:请点击「立即训练」用您的数据训练模型。"
        "训练完成后即生成今日名单。",
    },
    "data.ranking": {"en": "How each team's lists are ranked", "zh": "各团队名单的排序方式"},
    "data.ranking_explain": {
        "en": "As measured (the default: what the model's check chose from what each ranking "
        "won), or always by chance of an order, expected order value, orders a call wins, or "
        "order value a call wins. A change takes effect from the next list written "
        "(tomorrow morning, or the next retrain); lists already written stay as they are.",
        "zh": "按实测(默认:模型根据各排序方式实际多赢得的订单自动选择),或固定按下单概率、"
        "预期订单金额、电话多赢得的订单或其金额排序。"
        "修改从下一次生成名单起生效(明天早上或下次重新训练后);已生成的名单保持不变。",
    },
    "data.ranking_team": {"en": "Team", "zh": "团队"},
    "data.ranking_by": {"en": "Rank by", "zh": "排序依据"},
    "data.ranking_save": {"en": "Save ranking", "zh": "保存排序方式"},
    "data.ranking_saved": {
        "en": "Team {team} now ranks by {by}, from the next list written.",
        "zh": "团队 {team} 从下一次生成名单起按{by}排序。",
    },
    "data.ranking_col.reps": {"en": "Current reps", "zh": "在职销售代表"},
    "data.ranking_col.updated_by": {"en": "Set by", "zh": "设置人"},
    "data.ranking_col.updated_at": {"en": "Set at", "zh": "设置时间"},
    # what a team's lists rank by
    "rank_by.probability": {"en": "chance of an order", "zh": "下单概率"},
    "rank_by.value": {"en": "expected order value", "zh": "预期订单金额"},
    "rank_by.effect": {"en": "orders a call wins", "zh": "电话多赢得的订单"},
    "rank_by.effect_value": {"en": "order value a call wins", "zh": "电话多赢得的订单金额"},
    "rank_by.auto": {"en": "as measured (the model's choice)", "zh": "按实测(模型的选择)"},
    # replacing the demo's accounts with your own admin
    "demo.is_demo": {
        "en": "This warehouse holds the demo. Importing your company's data replaces the demo: "
        "first a backup is taken, then, together with the import, every row of the demo is "
        "removed (its reps, customers, visits, orders, call lists, scores, hold-out, backtests "
        "and models) and so are the demo's accounts (rep, manager, admin), whose password is "
        "public.",
        "zh": "当前为演示数据。导入贵公司的数据将替换演示数据:先备份,然后与导入一起删除演示数据的"
        "全部内容(销售代表、客户、回访、订单、回访名单、评分、对照组、回测和模型)以及演示账号"
        "(rep、manager、admin,其密码是公开的)。",
    },
    "demo.own_admin": {
        "en": "You are signed in with the demo's admin account, which goes with the demo. "
        "Choose your own admin account: it is created in the same step and you stay signed in "
        "with it.",
        "zh": "您当前使用的是演示管理员账号,它会随演示数据一起删除。请设置您自己的管理员账号:"
        "它将在同一步骤中创建,您将以该账号保持登录。",
    },
    "demo.new_username": {"en": "Your username", "zh": "您的用户名"},
    "demo.new_password": {"en": "Your password", "zh": "您的密码"},
    "demo.repeat_password": {"en": "Repeat the password", "zh": "再次输入密码"},
    "demo.confirm": {
        "en": "I understand: remove the demo and import my data",
        "zh": "我已了解:删除演示数据并导入我的数据",
    },
    "demo.do_replace": {"en": "Replace the demo with my data", "zh": "用我的数据替换演示数据"},
    "demo.replaced": {
        "en": "The demo was replaced by your data ({summary}). Backup of the demo: {folder}",
        "zh": "演示数据已替换为您的数据({summary})。演示数据的备份:{folder}",
    },
    "demo.train_next": {
        "en": 'Next: train a model on your data ("Retrain now" below). Until it finishes, '
        "reps have no call list.",
        "zh": "下一步:用您的数据训练模型(点击下方「立即训练」)。训练完成前,销售没有回访名单。",
    },
    "demo.signed_in_as": {
        "en": "You are now signed in as {name}.",
        "zh": "您现在以 {name} 的身份登录。",
    },
    "data.job_running": {
        "en": "A {kind} job is running on the demo (job {job}, started by {by}); wait for it "
        "to finish or cancel it below, then import again. Nothing was written.",
        "zh": "演示数据上有{kind}任务正在运行(任务 {job},由 {by} 发起);请等待其完成或在下方"
        "取消,然后再导入。未写入任何数据。",
    },
    "data.allowed_values": {
        "en": "Values the product knows, column by column",
        "zh": "各列可识别的取值",
    },
    "data.allowed_explain": {
        "en": "result must be one of these (case does not matter). The other columns also "
        "accept values of your own: they are stored and shown as written.",
        "zh": "result 必须是下列之一(不区分大小写)。其他列也可使用自定义取值:按原样保存和显示。",
    },
    "data.col.file": {"en": "File", "zh": "文件"},
    "data.col.column": {"en": "Column", "zh": "列"},
    "data.col.value": {"en": "Value", "zh": "取值"},
    "data.col.meaning": {"en": "Shown as", "zh": "显示为"},
}
