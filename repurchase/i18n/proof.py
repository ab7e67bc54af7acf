"""Does the list help? The hold-out's proof per team, in words a sales manager reads: the
verdict first, then the range, when it will be clear, and what the hold-out costs."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "proof.title": {
        "en": "Does the list help? Proof from the hold-out",
        "zh": "名单有没有用?来自对照组的证据",
    },
    "proof.team": {"en": "Team {team}", "zh": "团队 {team}"},
    "proof.verdict.helps": {
        "en": "The list helps: +{effect} pts [{low}, {high}]",
        "zh": "名单有效:+{effect} 个百分点 [{low}, {high}]",
    },
    "proof.verdict.hurts": {
        "en": "The list seems to hurt: {effect} pts [{low}, {high}]. Check the model and how "
        "the list is used.",
        "zh": "名单似乎起了反作用:{effect} 个百分点 [{low}, {high}]。请检查模型及名单的使用方式。",
    },
    "proof.verdict.unclear": {
        "en": "Not clear yet: a lift of {lift} pts would show in {weeks} more weeks at this volume",
        "en_one": "Not clear yet: a lift of {lift} pts would show in 1 more week at this volume",
        "one_if": "weeks",
        "zh": "尚无定论:按目前的量,{lift} 个百分点的提升还需约 {weeks} 周可确认",
    },
    "proof.verdict.unclear_never": {
        "en": "Not clear yet: at this volume even a lift of {lift} pts would not show within "
        "a year",
        "zh": "尚无定论:按目前的量,即使有 {lift} 个百分点的提升,一年内也无法确认",
    },
    "proof.verdict.none": {
        "en": "Too few customers yet to say: {treated} listed and {control} held out so far, "
        "at least {min} of each are needed.",
        "zh": "客户数太少,暂无结论:目前名单内 {treated} 位、对照组 {control} 位,"
        "每组至少需要 {min} 位。",
    },
    "proof.range": {
        "en": "Range that stays valid however often you look: {low} to {high} pts. It is "
        "safe to check this every day.",
        "zh": "无论查看多少次都有效的范围:{low} 至 {high} 个百分点。可以每天查看。",
    },
    "proof.estimate": {
        "en": "Best estimate {effect} pts (95 % interval {low} to {high}; comparing the two "
        "groups' order rates alone, {raw_low} to {raw_high}). Listed customers ordered "
        "within a week {treated_rate}, held-out ones {control_rate}.",
        "zh": "最佳估计 {effect} 个百分点(95% 区间 {low} 至 {high};仅比较两组下单率为 "
        "{raw_low} 至 {raw_high})。名单内客户一周内下单 {treated_rate},对照组 {control_rate}。",
    },
    "proof.power": {
        "en": "At your team's volume ({units} customers a week), a lift of {lift} pts shows "
        "in {weeks} weeks; within 8 weeks, lifts of {detectable} pts or more show.",
        "zh": "按您团队目前的量(每周 {units} 位客户),{lift} 个百分点的提升需 {weeks} 周可确认;"
        "8 周内可确认 {detectable} 个百分点及以上的提升。",
    },
    "proof.power_never": {
        "en": "At your team's volume ({units} customers a week), a lift of {lift} pts would "
        "not show within a year; within 8 weeks, lifts of {detectable} pts or more show.",
        "zh": "按您团队目前的量(每周 {units} 位客户),{lift} 个百分点的提升一年内无法确认;"
        "8 周内可确认 {detectable} 个百分点及以上的提升。",
    },
    "proof.cost": {
        "en": "The hold-out keeps {share} of customers off the lists: about {orders} orders a "
        "week forgone if the best estimate is right.",
        "zh": "对照组让 {share} 的客户不进入名单:若最佳估计属实,每周约少 {orders} 笔订单。",
    },
    "proof.cost_none": {
        "en": "The hold-out keeps {share} of customers off the lists. The best estimate shows "
        "no gain from the list yet, so it forgoes no orders at that estimate.",
        "zh": "对照组让 {share} 的客户不进入名单。最佳估计尚未显示名单带来收益,"
        "因此按该估计不会少订单。",
    },
    "proof.covers": {
        "en": "Counts every visit method and every customer the model ranked onto a list "
        "({weeks} weeks: {treated} listed, {control} held out): the hold-out keeps a customer "
        "off the list whatever way the rep would have reached them, so the method filter does "
        "not apply here.",
        "zh": "统计所有回访方式、所有被模型排进名单的客户({weeks} 周:名单内 {treated} 位,"
        "对照组 {control} 位):对照组是按客户设置的,与回访方式无关,因此回访方式筛选不适用于此处。",
    },
    "proof.explain": {
        "en": "Each period a random share of each rep's customers is kept off the lists. The "
        "estimate also uses what was known before: the model's score and each customer's "
        "earlier orders, which makes it sharper without bending it.",
        "zh": "每个周期随机抽取每位销售一部分客户不进入名单。估计同时利用事先已知的信息"
        "(模型评分和客户此前的订单),使结果更精确而不产生偏差。",
    },
    "proof.as_of": {
        "en": "As of the nightly update of {at}: customers whose week to order ended since "
        "then count from the next one.",
        "zh": "截至 {at} 的夜间更新:此后才满一周的客户从下一次更新起计入。",
    },
    "proof.ranking": {
        "en": "The lists rank by: {choice}. {reason}",
        "zh": "名单排序依据:{choice}。{reason}",
    },
    "proof.ranking_won": {
        "en": "On the randomised hold-out, calling its lists won {gain} orders per list more "
        "than ranking by the chance of an order (± {margin}).",
        "zh": "随机对照组显示,按此排序的名单每份比按下单概率排序多赢得 {gain} 个订单(± {margin})。",
    },
    "proof.ranking_unclear": {
        "en": "Ranking by what a call wins showed no clear gain on the randomised hold-out "
        "({gain} orders per list, ± {margin}), so the chance of an order stays.",
        "zh": "按电话多赢得的订单排序,在随机对照组上没有明显收益"
        "(每份名单 {gain} 个订单,± {margin}),所以仍按下单概率排序。",
    },
    "proof.ranking_waits": {
        "en": "Ranking by what a call wins waits for the randomised hold-out: past calls "
        "suggest {gain} orders per list (± {margin}), but they lean on whom reps chose to call.",
        "zh": "按电话多赢得的订单排序需等待随机对照组的结果:以往的电话显示每份名单 {gain} 个订单"
        "(± {margin}),但这受销售自己选择给谁打电话的影响。",
    },
    "proof.none_in_scope": {
        "en": "No hold-out in this period for these reps.",
        "zh": "该时间段这些销售没有对照组。",
    },
    "proof.model_title": {
        "en": "Does the list help? (per team)",
        "zh": "名单有没有用?(按团队)",
    },
    # the Data page's hold-out share, beside the ranking
    "proof.share": {"en": "Hold-out share", "zh": "对照组比例"},
    "proof.share_help": {
        "en": "The share of the team's customers kept off the lists as a control group (0 to "
        "30 %). More gives a verdict sooner and costs more orders. A change applies from the "
        "next hold-out period.",
        "zh": "该团队作为对照组、不进入名单的客户比例(0 至 30%)。"
        "比例越高,结论越快,损失的订单也越多。修改从下一个对照周期起生效。",
    },
    "proof.share_save": {"en": "Save hold-out share", "zh": "保存对照组比例"},
    "proof.share_saved": {
        "en": "Team {team}: {share} of customers held out from {day}.",
        "zh": "团队 {team}:自 {day} 起 {share} 的客户作为对照组。",
    },
    "proof.share_next": {
        "en": "{share} from {day}",
        "zh": "自 {day} 起 {share}",
    },
    "proof.share_col.share": {"en": "Hold-out share", "zh": "对照组比例"},
    "proof.share_col.next": {"en": "Next period", "zh": "下一周期"},
    "proof.share_col.weeks": {
        "en": "Weeks to a verdict on a lift of {lift} pts",
        "zh": "确认 {lift} 个百分点提升所需周数",
    },
    "proof.share_at": {
        "en": "At {share}: {weeks}; about {orders} orders a week forgone.",
        "zh": "比例为 {share} 时:{weeks};每周约少 {orders} 笔订单。",
    },
    "proof.share_at_free": {
        "en": "At {share}: {weeks}; no orders forgone while the estimate shows no gain.",
        "zh": "比例为 {share} 时:{weeks};在估计未显示收益时不会少订单。",
    },
    "proof.weeks_to_verdict": {
        "en": "a verdict in {weeks} weeks from the start",
        "en_one": "a verdict in the first week",
        "one_if": "weeks",
        "zh": "从开始算约 {weeks} 周得出结论",
    },
    "proof.no_verdict_in_a_year": {
        "en": "no verdict within a year",
        "zh": "一年内无法得出结论",
    },
    "proof.share_col.detectable": {
        "en": "Smallest lift shown in 8 weeks (pts)",
        "zh": "8 周内可确认的最小提升(百分点)",
    },
    "proof.share_col.cost": {
        "en": "Orders forgone a week (at the best estimate)",
        "zh": "每周少的订单数(按最佳估计)",
    },
    "proof.share_options": {
        "en": "What each share would cost and when it would give a verdict, at this team's "
        "volume. The weeks are for a lift the size of the current estimate, and at least "
        "5 points:",
        "zh": "按该团队目前的量,各比例的代价及得出结论所需时间。所需周数按当前估计的提升幅度"
        "计算,至少按 5 个百分点:",
    },
    "proof.share_no_units": {
        "en": "This team has no hold-out results yet, so no estimate of cost or time.",
        "zh": "该团队尚无对照组结果,暂无法估计代价和时间。",
    },
    "proof.more_than_year": {"en": "more than a year", "zh": "超过一年"},
    # the weekly report
}
