"""The Model page: versions, quality, the methods compared, the value and churn measures."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # versions, quality and calibration
    "model.serving": {"en": "Serving version", "zh": "当前模型版本"},
    "model.trained_until": {"en": "History up to", "zh": "训练数据截至"},
    "model.valid_auc": {"en": "Validation AUC", "zh": "验证集 AUC"},
    "model.valid_precision": {"en": "Top-15 precision", "zh": "前 15 名准确率"},
    "model.architecture": {"en": "{name}, trained {when}", "zh": "{name},训练于 {when}"},
    "model.serving_peer": {
        "en": "{networks} (serving peer: {peer})",
        "zh": "{networks}(实际使用对比模型:{peer})",
    },
    "model.backtest": {
        "en": "Rolling weekly backtest (paper Table 1)",
        "zh": "滚动周回测(论文表 1)",
    },
    "model.no_backtest": {
        "en": 'No backtest yet: start one on the Data page with "Run the backtest".',
        "zh": "尚无回测结果:请在「数据管理」页面点击「运行回测」。",
    },
    "model.no_backtest_manager": {
        "en": "No backtest yet. An admin starts one on the Data page.",
        "zh": "尚无回测结果。管理员可在「数据管理」页面运行回测。",
    },
    "model.curves_title": {
        "en": "Weekly success: the list vs the reps' own choices (paper Figure 6)",
        "zh": "每周成功率:算法名单与销售自主回访对比(论文图 6)",
    },
    "model.variant": {"en": "Model ({name})", "zh": "模型({name})"},
    "model.reps_success": {"en": "Reps' own success rate", "zh": "销售自主回访成功率"},
    "model.base_rate": {"en": "Base rate of visited customers", "zh": "被回访客户的基础下单率"},
    "model.precision": {"en": "Precision", "zh": "准确率"},
    "model.methods_title": {"en": "Every method on the same weeks", "zh": "同期各方法对比"},
    "model.method": {"en": "Method", "zh": "方法"},
    "model.sd": {"en": "SD", "zh": "标准差"},
    "model.lift_vs_reps": {"en": "Lift vs reps", "zh": "相对销售提升"},
    "model.lift_min": {"en": "Lift vs reps, lowest week", "zh": "相对销售提升(最低周)"},
    "model.lift_max": {"en": "Lift vs reps, highest week", "zh": "相对销售提升(最高周)"},
    "model.lift_vs_base": {"en": "Lift vs base rate", "zh": "相对基础率提升"},
    "model.weeks": {"en": "Weeks", "zh": "周数"},
    "model.backtest_explain": {
        "en": "Each week every method ranks each rep's visited customers and lists the top 15; "
        "precision is the share that ordered within 4 weeks. The paper compares this with "
        "the reps' visit success that week; the base rate is the fairer comparison.",
        "zh": "每周各方法对每位销售当周回访的客户排序并取前 15 名;准确率为其中 4 周内下单的比例。"
        "论文将其与当周销售的回访成功率比较;基础下单率是更公平的参照。",
    },
    "model.too_small.lists_take_all": {
        "en": "Too little data to tell the methods apart. Each list takes a rep's best "
        "customers among those they visited that week, and over these {weeks} weeks the lists "
        "left off only {left_off} of the {candidates} visited: every method, random included, "
        "listed nearly the same customers, so their precision is about the same. AUC still "
        "compares how they rank; data with more customers per rep tells the lists apart.",
        "zh": "数据太少,无法区分各方法。每份名单取销售当周回访客户中最可能下单的若干位;在这 "
        "{weeks} 周的 {candidates} 位被回访客户中,名单只排除了 {left_off}:所有方法(包括随机)"
        "列出的客户几乎相同,因此准确率也几乎一样。AUC 仍可比较各方法的排序;"
        "每位销售客户更多的数据才能区分名单的好坏。",
    },
    "model.too_small.too_few": {
        "en": "Too little data to tell the methods apart: each method listed {listed} "
        "customers over {weeks} weeks, so its precision is known only to about ± {margin}; "
        "differences smaller than that are noise.",
        "zh": "数据太少,无法区分各方法:每种方法在 {weeks} 周内只列出 {listed} 位客户,"
        "准确率的误差约为 ± {margin};小于此的差异只是噪声。",
    },
    "model.versions": {"en": "Model versions (paper Table 2)", "zh": "模型版本对比(论文表 2)"},
    "model.lists_too_new": {
        "en": "Call lists are in use since {first}. A listed customer counts here once the 7 "
        "days after the listing have passed, so the first figures show from {ready}.",
        "zh": "回访名单自 {first} 起使用。名单客户在列入名单 7 天后才计入本表,"
        "因此最早的数据将于 {ready} 起显示。",
    },
    "model.versions_title": {
        "en": "Success of listed customers visited within 7 days",
        "zh": "名单内且 7 天内回访客户的成功率",
    },
    "model.calibration": {"en": "Calibration", "zh": "概率校准"},
    "model.calibration_title": {
        "en": "Predicted vs observed (latest backtest)",
        "zh": "预测概率与实际比例(最近回测)",
    },
    "model.calibration_explain": {
        "en": "A calibrated model's 30 % means 3 in 10 such customers order. Raw network outputs "
        "are shown beside the calibrated probabilities the list displays.",
        "zh": "校准后的 30% 表示同类客户中每 10 位约有 3 位下单。"
        "图中同时显示网络原始输出与名单显示的校准概率。",
    },
    "model.perfect": {"en": "Perfect calibration", "zh": "完美校准"},
    "model.predicted": {"en": "Predicted", "zh": "预测概率"},
    "model.observed": {"en": "Observed", "zh": "实际比例"},
    "model.all_versions": {"en": "All versions", "zh": "全部版本"},
    "model.status": {"en": "Status", "zh": "状态"},
    "model.created": {"en": "Trained at", "zh": "训练时间"},
    "model.history_from": {"en": "History from", "zh": "训练数据起始"},
    "model.promoted": {"en": "Serving since", "zh": "启用时间"},
    "model.network": {"en": "Network", "zh": "网络结构"},
    "model.gate": {"en": "Who makes the lists", "zh": "名单由谁生成"},
    "model.serves_network": {
        "en": "The CNN-LSTM network makes the lists: on the latest validation weeks no simple "
        "method made lists better by more than the comparison can tell apart (± {margin}): "
        "{precision} for the network, {peer_precision} for the best of them, {peer}.",
        "zh": "名单由 CNN-LSTM 网络生成:在最近的验证周里,没有任何简单方法的名单好到超出"
        "对比的测量误差(± {margin}):网络 {precision},最好的简单方法「{peer}」{peer_precision}。",
    },
    "model.serves_peer": {
        "en": "A simple method, {peer}, makes the lists: on the latest validation weeks its "
        "lists were better than the network's by more than the measurement's noise "
        "({peer_precision} vs {precision}). The network is kept for comparison and serves "
        "again when a retrain makes lists as good.",
        "zh": "名单由简单方法「{peer}」生成:在最近的验证周里,它的名单明显优于网络"
        "(超出测量误差;{peer_precision} 对 {precision})。网络模型仍保留用于对比,"
        "重新训练后若不差于它即恢复使用。",
    },
    "model.gate_explain": {
        "en": "List precision: the share of each rep's list (top 15 and top 10 % of the book, "
        "averaged) that ordered within the horizon, on validation weeks no training step saw.",
        "zh": "名单准确率:每位销售名单(前 15 名与客户总数前 10% 的平均)中在预测期内下单的比例,"
        "在训练未使用的验证周上计算。",
    },
    "model.list_precision": {"en": "List precision", "zh": "名单准确率"},
    "model.top15": {"en": "Top 15", "zh": "前 15 名"},
    "model.top10pct": {"en": "Top 10 %", "zh": "前 10%"},
    "model.version": {"en": "Version", "zh": "版本"},
    "model.listed": {"en": "Listed", "zh": "名单客户数"},
    "model.visited_7d": {"en": "Visited within 7 days", "zh": "7 天内回访数"},
    "model.succeeded": {"en": "Succeeded", "zh": "成功数"},
    "model.ci_low": {"en": "95 % CI low", "zh": "95% 区间下限"},
    "model.ci_high": {"en": "95 % CI high", "zh": "95% 区间上限"},
    "model.status.serving": {"en": "serving", "zh": "使用中"},
    "model.status.candidate": {"en": "candidate", "zh": "候选"},
    "model.status.retired": {"en": "retired", "zh": "已停用"},
    "model.status.rejected": {"en": "not promoted", "zh": "未采用"},
    # the methods compared in the backtest
    "method.network": {"en": "CNN-LSTM network", "zh": "CNN-LSTM 网络"},
    "method.gbm": {"en": "gradient boosting", "zh": "梯度提升树"},
    "method.logistic": {"en": "logistic regression", "zh": "逻辑回归"},
    "method.bg/nbd": {"en": "BG/NBD", "zh": "BG/NBD 模型"},
    "method.recency-frequency": {"en": "recency-frequency", "zh": "近度-频度规则"},
    # the value and churn models and the ranking they give
    "measures.title": {
        "en": "Value and churn risk (same backtest run)",
        "zh": "订单价值与流失风险(同一次回测)",
    },
    "measures.none": {
        "en": "The latest backtest run has no value or churn figures; run the backtest again.",
        "zh": "最近一次回测没有价值与流失指标;请重新运行回测。",
    },
    "measures.value_title": {
        "en": "Value model vs the customer's own average order",
        "zh": "价值模型 vs 客户自身平均订单额",
    },
    "measures.figure": {"en": "Figure", "zh": "指标"},
    "measures.model": {"en": "Spend model (Gamma-Gamma)", "zh": "消费模型(Gamma-Gamma)"},
    "measures.baseline": {"en": "Own average", "zh": "自身平均"},
    "measures.size_mae": {
        "en": "Order size: mean absolute error",
        "zh": "订单额:平均绝对误差",
    },
    "measures.size_mdape": {
        "en": "Order size: median absolute % error",
        "zh": "订单额:绝对百分比误差中位数",
    },
    "measures.value_mae": {
        "en": "Value in 4 weeks: mean absolute error",
        "zh": "4 周内价值:平均绝对误差",
    },
    "measures.value_rmse": {
        "en": "Value in 4 weeks: root mean squared error",
        "zh": "4 周内价值:均方根误差",
    },
    "measures.value_explain": {
        "en": "Order size is judged on the {ordered} candidates who ordered with a price in the "
        "4 weeks after each backtest Monday; value in 4 weeks (chance x orders x size) on all "
        "{candidates} candidates over {weeks} weeks.",
        "zh": "订单额以每个回测周一后 4 周内有金额下单的 {ordered} 位候选客户评估;4 周内价值"
        "(概率 x 单数 x 订单额)以 {weeks} 周内全部 {candidates} 位候选客户评估。",
    },
    "measures.ranking_title": {
        "en": "Order value captured per call",
        "zh": "每次拜访带来的订单额",
    },
    "measures.list": {"en": "List", "zh": "名单"},
    "measures.per_call": {"en": "Order value per call", "zh": "每次拜访订单额"},
    "measures.precision": {"en": "Precision", "zh": "准确率"},
    "measures.calls": {"en": "Calls", "zh": "拜访数"},
    "measures.by_probability": {"en": "Ranked by probability", "zh": "按下单概率排序"},
    "measures.by_value": {"en": "Ranked by expected value", "zh": "按预期价值排序"},
    "measures.by_own_average": {
        "en": "Ranked by value (own average size)",
        "zh": "按价值排序(自身平均订单额)",
    },
    "measures.with_rule": {
        "en": "By probability, re-call rule applied",
        "zh": "按概率排序,并应用重复拜访规则",
    },
    "measures.ranking_explain": {
        "en": "Each rep's top {top} among the week's candidates; value per call is the actual "
        "spend in the next 4 weeks of the listed customers divided by the calls. The re-call "
        "rule leaves off customers called in the last {days} days without an order "
        "({left_off} candidates).",
        "zh": "每位销售在当周候选客户中的前 {top} 名;每次拜访订单额为名单客户随后 4 周的实际"
        "消费总额除以拜访数。重复拜访规则排除最近 {days} 天内拜访但未下单的客户"
        "({left_off} 位候选客户)。",
    },
    "measures.churn_title": {
        "en": "Churn flag: who then did not order for 90 days",
        "zh": "流失预警:之后 90 天未下单的客户",
    },
    "measures.rule": {"en": "Rule", "zh": "规则"},
    "measures.flag": {"en": "Churn flag", "zh": "流失预警"},
    "measures.twice_gap": {
        "en": "No order for twice the usual gap",
        "zh": "超过平常间隔两倍未下单",
    },
    "measures.recall": {"en": "Recall", "zh": "召回率"},
    "measures.flagged": {"en": "Flagged", "zh": "预警数"},
    "measures.churn_explain": {
        "en": "Over {weeks} backtest weeks with 90 days observed after them, among buyers with "
        "two or more orders ({lapse} of whom then did not order for 90 days). Precision: "
        "flagged who lapsed / flagged; recall: lapsed who were flagged / lapsed.",
        "zh": "基于之后已观察满 90 天的 {weeks} 个回测周,对象为至少下过两次单的客户(其中 "
        "{lapse} 之后 90 天未下单)。准确率:被预警且流失 / 被预警;召回率:流失且被预警 / 流失。",
    },
    "measures.no_churn_weeks": {
        "en": "No backtest week had 90 days observed after it; run a longer backtest (14 weeks).",
        "zh": "没有回测周之后已观察满 90 天;请运行更长的回测(14 周)。",
    },
}
