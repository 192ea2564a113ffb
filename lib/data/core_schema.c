/*
 * The core indicator schema: the standard indicators the engines rely on.
 * Documented indicator by indicator in docs/indicators.md (keep in sync).
 *
 * Sources: [C] confirmed in a public source, [U] reconstructed or a sanity
 * limit only (see docs/indicators.md and ../shared/domain.md). Ranges marked
 * "sanity limit" only catch typing errors; they are not policy.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>

#include "data_internal.h"

#define NCODES(a) (sizeof(a) / sizeof((a)[0]))

#define IND(idx, lvl, ty, id_, zh, en, unit_, lo, hi, codes_, ncodes_, req, der, desc, src) \
    [idx] = {.id = id_, .label_zh = zh, .label_en = en, .unit = unit_, .description = desc, \
             .source = src, .level = lvl, .type = ty, .min = lo, .max = hi,               \
             .codes = codes_, .n_codes = ncodes_, .required = req, .derived = der, .core = 1}

#define H POV_LEVEL_HOUSEHOLD
#define M POV_LEVEL_MEMBER
#define INF INFINITY

/* household-level shorthands */
#define HTEXT(idx, id, zh, en, desc, src) \
    IND(idx, H, POV_TYPE_TEXT, id, zh, en, "", -INF, INF, NULL, 0, 0, 0, desc, src)
#define HBOOL(idx, id, zh, en, desc, src) \
    IND(idx, H, POV_TYPE_BOOLEAN, id, zh, en, "", -INF, INF, NULL, 0, 0, 0, desc, src)
#define HNUM(idx, id, zh, en, unit, lo, hi, desc, src) \
    IND(idx, H, POV_TYPE_NUMBER, id, zh, en, unit, lo, hi, NULL, 0, 0, 0, desc, src)
#define HINT(idx, id, zh, en, unit, lo, hi, desc, src) \
    IND(idx, H, POV_TYPE_INTEGER, id, zh, en, unit, lo, hi, NULL, 0, 0, 0, desc, src)
#define HCAT(idx, id, zh, en, codes, desc, src) \
    IND(idx, H, POV_TYPE_CATEGORY, id, zh, en, "", -INF, INF, codes, NCODES(codes), 0, 0, desc, src)
#define MBOOL(idx, id, zh, en, desc, src) \
    IND(idx, M, POV_TYPE_BOOLEAN, id, zh, en, "", -INF, INF, NULL, 0, 0, 0, desc, src)
#define MCAT(idx, id, zh, en, codes, desc, src) \
    IND(idx, M, POV_TYPE_CATEGORY, id, zh, en, "", -INF, INF, codes, NCODES(codes), 0, 0, desc, src)

#define YUAN "yuan/year"
#define MONEY_MAX 1e9 /* sanity limit */
#define MONEY_DESC(what) what " Missing means not recorded. Sanity limit 0..1e9."

static const povi_code registry_codes[] = {
    {"not_registered", "非建档立卡户", "not in the poverty registry"},
    {"poor", "建档立卡贫困户（未脱贫）", "registered poor household, not exited"},
    {"exited", "已脱贫户", "registered household that has exited"},
    {"returned", "返贫户", "household that returned to poverty"},
    {"monitored_unstable", "脱贫不稳定户", "monitored: exited but unstable"},
    {"monitored_marginal", "边缘易致贫户", "monitored: marginal, prone to poverty"},
    {"monitored_hardship", "突发严重困难户", "monitored: sudden severe hardship"},
};
static const povi_code household_type_codes[] = {
    {"ordinary", "一般贫困户", "ordinary poor household"},
    {"dibao", "低保户", "minimum-living-guarantee household"},
    {"wubao", "五保户", "five-guarantee household"},
    {"dibao_poor", "低保贫困户", "poor household with minimum living guarantee"},
};
static const povi_code standard_codes[] = {
    {"national", "国家标准", "national poverty line"},
    {"provincial", "省定标准", "provincial line"},
    {"city", "市定标准", "city line"},
};
static const povi_code structure_codes[] = {
    {"reinforced_concrete", "钢筋混凝土结构", "reinforced concrete"},
    {"brick_concrete", "砖混结构", "brick and concrete"},
    {"brick_wood", "砖木结构", "brick and timber"},
    {"timber", "木结构", "timber"},
    {"earth", "土木/泥土结构", "earth (rammed earth, adobe)"},
    {"simple", "简易结构/其他", "simple shelter or other"},
};
static const povi_code safety_codes[] = {
    {"A", "A级", "grade A: safe"},
    {"B", "B级", "grade B: basically safe"},
    {"C", "C级", "grade C: locally dangerous"},
    {"D", "D级", "grade D: dangerous as a whole"},
};
static const povi_code cause_codes[] = {
    {"illness", "因病", "illness"},
    {"disability", "因残", "disability"},
    {"schooling", "因学", "schooling costs"},
    {"disaster", "因灾", "natural disaster"},
    {"lack_land", "缺土地", "lack of land"},
    {"lack_water", "缺水", "lack of water"},
    {"lack_skills", "缺技术", "lack of skills"},
    {"lack_labour", "缺劳力", "lack of labour"},
    {"lack_funds", "缺资金", "lack of funds"},
    {"poor_transport", "交通条件落后", "poor transport"},
    {"lack_drive", "自身发展动力不足", "lack of own drive"},
    {"other", "其它", "other"},
    {"marriage", "因婚", "marriage costs"},
};
static const povi_code relation_codes[] = {
    {"head", "户主", "head of household"},
    {"spouse", "配偶", "spouse"},
    {"child", "子女", "son or daughter"},
    {"child_in_law", "儿媳/女婿", "son- or daughter-in-law"},
    {"grandchild", "孙子女/外孙子女", "grandchild"},
    {"parent", "父母", "parent"},
    {"parent_in_law", "岳父母/公婆", "parent-in-law"},
    {"grandparent", "祖父母/外祖父母", "grandparent"},
    {"sibling", "兄弟姐妹", "brother or sister"},
    {"other", "其他", "other relative or non-relative"},
};
static const povi_code sex_codes[] = {
    {"male", "男", "male"},
    {"female", "女", "female"},
};
static const povi_code health_codes[] = {
    {"healthy", "健康", "healthy"},
    {"weak", "体弱", "weak health"},
    {"chronic_illness", "长期慢性病", "long-term chronic illness"},
    {"serious_illness", "患有大病", "serious illness"},
};
static const povi_code disability_codes[] = {
    {"none", "无残疾", "no disability"},
    {"grade_1", "一级残疾", "disability grade 1 (most severe)"},
    {"grade_2", "二级残疾", "disability grade 2"},
    {"grade_3", "三级残疾", "disability grade 3"},
    {"grade_4", "四级残疾", "disability grade 4 (least severe)"},
};
/* order must match POVI_LABOUR_* in data_internal.h */
static const povi_code labour_codes[] = {
    {"ordinary", "普通劳动力", "ordinary labour"},
    {"skilled", "技能劳动力", "skilled labour"},
    {"weak", "弱劳动力或半劳动力", "weak or half labour"},
    {"none", "无劳动力", "no labour capacity"},
    {"lost", "丧失劳动力", "lost labour capacity"},
};
/* order must match POVI_SCHOOL_* in data_internal.h */
static const povi_code schooling_codes[] = {
    {"preschool", "学前教育", "preschool"},
    {"primary", "小学在读", "in primary school"},
    {"junior_secondary", "初中在读", "in junior secondary school"},
    {"senior_secondary", "高中在读", "in senior secondary school"},
    {"secondary_vocational", "中职在读", "in secondary vocational school"},
    {"tertiary", "大专及以上在读", "in tertiary education"},
    {"home_tuition", "送教上门", "home tuition (counts as in school)"},
    {"never_enrolled", "适龄未入学", "of school age, never enrolled"},
    {"dropped_out", "辍学", "dropped out"},
    {"suspended", "休学", "schooling suspended"},
    {"graduated", "已毕业/离校", "finished schooling"},
    {"not_applicable", "不适用", "not applicable (adult, not in education)"},
};

#define SRC_FORM "[C] national 2014 registration form (domain.md §2)"
#define SRC_EXIT "[C] Guangxi household exit checklist 八有一超 (domain.md §3)"
#define SRC_NET "[C] net income definition, Guangxi 八有一超 item 9 (domain.md §3)"
#define SRC_VETO "[C] Guangxi veto items 一票否决 (domain.md §2)"
#define SRC_LIB "[U] povmetrics data model"

const povi_indicator povi_core_indicators[POVI_CORE_COUNT] = {
    /* ---- region and registry ---- */
    HTEXT(POVI_PROVINCE_CODE, "province_code", "省", "province",
          "Province code (administrative division code, e.g. \"45\" for Guangxi).", SRC_LIB),
    HTEXT(POVI_CITY_CODE, "city_code", "市", "city (prefecture)",
          "Prefecture-level city code.", SRC_LIB),
    HTEXT(POVI_COUNTY_CODE, "county_code", "县", "county",
          "County code; the unit of county quotas and county exit.", SRC_LIB),
    HTEXT(POVI_TOWNSHIP_CODE, "township_code", "乡镇", "township",
          "Township code.", SRC_LIB),
    HTEXT(POVI_VILLAGE_CODE, "village_code", "村", "village",
          "Administrative village code; the unit of village quotas and village exit.", SRC_LIB),
    HINT(POVI_YEAR, "year", "年度", "year", "year", 1949, 2100,
         "Reference year of the record (income and conditions refer to this year). "
         "Range is a sanity limit.", SRC_LIB),
    HCAT(POVI_REGISTRY_STATUS, "registry_status", "建档立卡状态", "registry status",
         registry_codes, "Status in the poverty registry and monitoring system.",
         "[C] monitoring groups of the 2020/2021 national guidance (domain.md §4); "
         "[U] the code list as one field"),
    HCAT(POVI_HOUSEHOLD_TYPE, "household_type", "贫困户属性", "household type",
         household_type_codes, "Type of registered household.", SRC_FORM),
    HCAT(POVI_POVERTY_STANDARD, "poverty_standard", "识别标准", "identification standard",
         standard_codes, "Poverty line used when the household was identified.", SRC_FORM),
    /* ---- derived ---- */
    IND(POVI_HOUSEHOLD_SIZE, H, POV_TYPE_INTEGER, "household_size", "家庭人口数", "household size",
        "persons", 1, 100, NULL, 0, 0, 1,
        "Number of member records. A household without member records may declare it "
        "(integer 1..100); with member records a declared value must equal their count.",
        SRC_LIB),
    IND(POVI_LABOUR_COUNT, H, POV_TYPE_INTEGER, "labour_count", "劳动力人数", "labour count",
        "persons", 0, 100, NULL, 0, 0, 1,
        "Members aged labour_age_min..labour_age_max (default 16..64, inclusive) whose "
        "labour_capacity is ordinary, skilled, weak or missing (none and lost do not count); "
        "members with missing age do not count.",
        "[U] ages 16-64 follow the working-age convention of the registry; "
        "capacity codes from the registration form"),
    IND(POVI_DEPENDENCY_RATIO, H, POV_TYPE_NUMBER, "dependency_ratio", "抚养比", "dependency ratio",
        "", 0, INF, NULL, 0, 0, 1,
        "(household_size - labour_count) / labour_count. When labour_count is 0 the value is "
        "(household_size - 0) / 1, i.e. the number of dependants (never infinite): test "
        "labour_count = 0 to find households without labour. Missing when there are no "
        "member records.", SRC_LIB),
    IND(POVI_NET_INCOME, H, POV_TYPE_NUMBER, "net_income", "家庭纯收入", "household net income",
        YUAN, -INF, INF, NULL, 0, 0, 1,
        "Sum of the counted income components minus the excluded transfer items minus "
        "production costs (per pov_derive_options; default the national definition). A "
        "missing component counts as 0; missing when every counted component is missing.",
        SRC_NET),
    IND(POVI_PER_CAPITA_NET_INCOME, H, POV_TYPE_NUMBER, "per_capita_net_income", "人均纯收入",
        "per-capita net income", "yuan/person/year", -INF, INF, NULL, 0, 0, 1,
        "net_income / household_size; missing when either is missing.", SRC_NET),
    IND(POVI_SCHOOL_AGE_OUT_OF_SCHOOL, H, POV_TYPE_INTEGER, "school_age_out_of_school",
        "义务教育阶段失学辍学人数", "school-age children out of school", "persons", 0, 100, NULL,
        0, 0, 1,
        "Members aged school_age_min..school_age_max (default 6..15) whose schooling is "
        "never_enrolled, dropped_out or suspended. Members with missing age or schooling "
        "do not count.",
        "[C] Compulsory Education Law art. 11 (enrolment at 6, nine years); exit item 4 "
        "(domain.md §3)"),
    IND(POVI_UNINSURED_MEMBERS, H, POV_TYPE_INTEGER, "uninsured_members", "未参加基本医疗保险人数",
        "members without medical insurance", "persons", 0, 100, NULL, 0, 0, 1,
        "Members whose medical_insurance is false. Missing values do not count.",
        SRC_EXIT),
    IND(POVI_FLOOR_AREA_PER_CAPITA, H, POV_TYPE_NUMBER, "floor_area_per_capita",
        "人均住房面积", "floor area per person", "m2/person", 0, INF, NULL, 0, 0, 1,
        "floor_area / household_size; missing when either is missing or size is 0.",
        SRC_EXIT " (13 m2 per person)"),
    /* ---- income ---- */
    HNUM(POVI_INCOME_WAGE, "income_wage", "工资性收入", "wage income", YUAN, 0, MONEY_MAX,
         MONEY_DESC("Wages and salaries, including migrant work."), SRC_NET),
    HNUM(POVI_INCOME_OPERATING, "income_operating", "生产经营性收入", "operating income", YUAN,
         0, MONEY_MAX,
         MONEY_DESC("Gross income from farming, livestock and business (production costs are "
                    "recorded separately in production_costs)."), SRC_NET),
    HNUM(POVI_INCOME_PROPERTY, "income_property", "财产性收入", "property income", YUAN, 0,
         MONEY_MAX, MONEY_DESC("Rent, interest, dividends, land transfer payments."), SRC_NET),
    HNUM(POVI_INCOME_TRANSFER, "income_transfer", "转移性收入", "transfer income", YUAN, 0,
         MONEY_MAX,
         MONEY_DESC("All transfers received, including the items recorded separately in "
                    "transfer_basic_pension, transfer_dibao_c and "
                    "transfer_temporary_relief."), SRC_NET),
    HNUM(POVI_INCOME_OTHER, "income_other", "其他收入", "other income", YUAN, 0, MONEY_MAX,
         MONEY_DESC("Income not in the four categories above."), SRC_NET),
    HNUM(POVI_TRANSFER_BASIC_PENSION, "transfer_basic_pension", "基础养老金", "basic pension",
         YUAN, 0, MONEY_MAX,
         MONEY_DESC("Part of income_transfer; excluded from net income by the national "
                    "definition."), SRC_NET),
    HNUM(POVI_TRANSFER_DIBAO_C, "transfer_dibao_c", "C类低保金", "C-class minimum living payment",
         YUAN, 0, MONEY_MAX,
         MONEY_DESC("Part of income_transfer; excluded from net income by the national "
                    "definition."), SRC_NET),
    HNUM(POVI_TRANSFER_TEMPORARY_RELIEF, "transfer_temporary_relief", "临时救助金",
         "temporary relief", YUAN, 0, MONEY_MAX,
         MONEY_DESC("Part of income_transfer; excluded from net income by the national "
                    "definition."), SRC_NET),
    HNUM(POVI_PRODUCTION_COSTS, "production_costs", "生产经营性支出", "production costs", YUAN,
         0, MONEY_MAX, MONEY_DESC("Costs of farming, livestock and business."), SRC_NET),
    /* ---- expenditure and debt ---- */
    HNUM(POVI_EXP_MEDICAL, "exp_medical", "医疗支出", "medical expenditure", YUAN, 0, MONEY_MAX,
         MONEY_DESC("Out-of-pocket medical spending."),
         "[C] rigid spending (illness) as a monitoring trigger (domain.md §4)"),
    HNUM(POVI_EXP_EDUCATION, "exp_education", "教育支出", "education expenditure", YUAN, 0,
         MONEY_MAX, MONEY_DESC("Schooling costs."), "[C] 三算: income, expenditure, debt "
         "(domain.md §2)"),
    HNUM(POVI_EXP_OTHER_RIGID, "exp_other_rigid", "其他刚性支出", "other rigid expenditure", YUAN,
         0, MONEY_MAX, MONEY_DESC("Other unavoidable spending (disability care, funerals...)."),
         "[C] rigid spending as a monitoring trigger (domain.md §4)"),
    HNUM(POVI_DISASTER_LOSS, "disaster_loss", "灾害损失", "disaster loss", YUAN, 0, MONEY_MAX,
         MONEY_DESC("Loss from natural disasters and accidents in the year."),
         "[C] disaster as a risk type (domain.md §4)"),
    HNUM(POVI_DEBT, "debt", "负债", "debt", "yuan", 0, MONEY_MAX,
         "Outstanding debt at the reference date. Sanity limit 0..1e9.",
         "[C] 三算: income, expenditure, debt (domain.md §2)"),
    /* ---- housing ---- */
    HCAT(POVI_HOUSING_STRUCTURE, "housing_structure", "住房结构", "housing structure",
         structure_codes, "Main structure of the dwelling. Concrete, brick or timber "
         "structures count as secure in the exit checklist.", SRC_EXIT),
    HCAT(POVI_HOUSING_SAFETY, "housing_safety", "住房安全等级", "housing safety grade",
         safety_codes, "Safety appraisal grade of the dwelling (A-D); A or B needed to exit.",
         SRC_EXIT),
    HNUM(POVI_FLOOR_AREA, "floor_area", "住房面积", "floor area", "m2", 0, 10000,
         "Usable floor area of the dwelling. Range is a sanity limit.", SRC_EXIT),
    /* ---- water, power, road, communication ---- */
    HBOOL(POVI_SAFE_WATER, "safe_water", "饮水安全", "safe drinking water",
          "Drinking water judged safe (quality, quantity, access, guarantee).", SRC_EXIT),
    HNUM(POVI_WATER_LITRES_PER_DAY, "water_litres_per_day", "人均日供水量", "water per person",
         "L/person/day", 0, 10000, "Water available per person per day (exit: >= 35). "
         "Range is a sanity limit.", SRC_EXIT),
    HNUM(POVI_WATER_FETCH_MINUTES, "water_fetch_minutes", "取水往返时间", "water fetching time",
         "min", 0, 1440, "Round trip to fetch water (exit: <= 20).", SRC_EXIT),
    HNUM(POVI_WATER_SUPPLY_PCT, "water_supply_pct", "供水保证率", "water supply guarantee", "%",
         0, 100, "Share of the time water is available (exit: >= 90).", SRC_EXIT),
    HBOOL(POVI_ELECTRICITY, "electricity", "通生活用电", "household electricity",
          "The dwelling has a grid (or equivalent) electricity supply.", SRC_EXIT),
    HBOOL(POVI_ROAD_HARDENED, "road_hardened", "通硬化路", "hardened road to the hamlet",
          "The hamlet is reached by a hardened road (exit: >= 3.5 m wide for hamlets of >= 20 "
          "households).", SRC_EXIT),
    HBOOL(POVI_TV, "tv", "能收看电视", "television",
          "Receives central and regional TV channels (TV set, computer or smartphone).", SRC_EXIT),
    HBOOL(POVI_PHONE, "phone", "通电话", "telephone", "Has a fixed or mobile phone.",
          "[C] village checklist (domain.md §3)"),
    HBOOL(POVI_BROADBAND, "broadband", "通宽带", "broadband", "Has broadband internet access.",
          "[C] village checklist: broadband (domain.md §3)"),
    /* ---- land, livestock, vehicles, assets ---- */
    HNUM(POVI_PADDY_MU, "paddy_mu", "水田面积", "paddy land", "mu", 0, 100000,
         "Cultivated paddy land (1 mu = 1/15 ha). Range is a sanity limit.", SRC_EXIT),
    HNUM(POVI_DRY_LAND_MU, "dry_land_mu", "旱地面积", "dry land", "mu", 0, 100000,
         "Cultivated dry land. Range is a sanity limit.", SRC_EXIT),
    HNUM(POVI_ECONOMIC_FOREST_MU, "economic_forest_mu", "经济林面积", "economic forest", "mu",
         0, 100000, "Economic (fruit, tea, oil-tea...) forest. Range is a sanity limit.",
         SRC_EXIT),
    HNUM(POVI_FOREST_MU, "forest_mu", "其他林地面积", "other forest land", "mu", 0, 100000,
         "Other forest land. Range is a sanity limit.", SRC_EXIT),
    HINT(POVI_LARGE_LIVESTOCK, "large_livestock", "大牲畜存栏", "large livestock", "head", 0,
         100000, "Cattle, buffalo, horses, mules. Range is a sanity limit.", SRC_EXIT),
    HINT(POVI_PIGS, "pigs", "生猪存栏", "pigs", "head", 0, 100000,
         "Pigs kept. Range is a sanity limit.", SRC_EXIT),
    HINT(POVI_POULTRY, "poultry", "家禽存栏", "poultry", "head", 0, 1000000,
         "Chickens, ducks, geese. Range is a sanity limit.", SRC_EXIT),
    HNUM(POVI_LIVESTOCK_VALUE, "livestock_value", "牲畜价值", "livestock value", "yuan", 0,
         MONEY_MAX, "Estimated value of all livestock. Sanity limit 0..1e9.", SRC_LIB),
    HINT(POVI_CARS, "cars", "小汽车数", "cars", "vehicles", 0, 100,
         "Cars registered to household members (a veto item in Guangxi).", SRC_VETO),
    HINT(POVI_MOTORCYCLES, "motorcycles", "摩托车数", "motorcycles", "vehicles", 0, 100,
         "Motorcycles and electric scooters.", SRC_LIB),
    HINT(POVI_FARM_MACHINERY, "farm_machinery", "农用机械数", "farm machinery", "machines", 0,
         1000, "Tractors, tillers, harvesters, farm trucks.", SRC_LIB),
    HBOOL(POVI_TOWN_PROPERTY, "town_property", "城镇购房", "property in a town",
          "A member owns a dwelling or shop in a town or city.", SRC_VETO),
    HBOOL(POVI_PURCHASED_LAND, "purchased_land", "购买土地", "purchased land",
          "The household has purchased land (residential or commercial).", SRC_VETO),
    HBOOL(POVI_OWNS_COMPANY, "owns_company", "开办公司", "owns a company",
          "A member owns or runs a registered company.", SRC_VETO),
    HBOOL(POVI_DRUGS_GAMBLING, "drugs_gambling", "因赌博吸毒致贫", "hardship from drugs or gambling",
          "Hardship caused by drugs, gambling or similar conduct.", SRC_VETO),
    /* ---- causes ---- */
    HCAT(POVI_CAUSE_MAIN, "cause_main", "主要致贫原因", "main cause of poverty", cause_codes,
         "One main cause from the national list (plus marriage, used by some systems).",
         SRC_FORM),
    HCAT(POVI_CAUSE_OTHER1, "cause_other1", "其他致贫原因1", "other cause of poverty 1",
         cause_codes, "First other cause; must differ from cause_main.", SRC_FORM),
    HCAT(POVI_CAUSE_OTHER2, "cause_other2", "其他致贫原因2", "other cause of poverty 2",
         cause_codes, "Second other cause; must differ from cause_main and cause_other1.",
         SRC_FORM),
    /* ---- members ---- */
    MCAT(POVI_RELATION, "relation", "与户主关系", "relation to head", relation_codes,
         "Relation of the member to the head of household.", SRC_FORM),
    IND(POVI_AGE, M, POV_TYPE_INTEGER, "age", "年龄", "age", "years", 0, 130, NULL, 0, 1, 0,
        "Age in completed years at the reference date. Required. Range is a sanity limit.",
        SRC_FORM),
    MCAT(POVI_SEX, "sex", "性别", "sex", sex_codes, "Sex.", SRC_FORM),
    MCAT(POVI_HEALTH, "health", "健康状况", "health", health_codes,
         "Health status as on the registration form.",
         "[C] registration form field; [U] exact code list"),
    MCAT(POVI_DISABILITY_GRADE, "disability_grade", "残疾等级", "disability grade",
         disability_codes, "Disability grade 1 (most severe) to 4, or none.",
         "[C] GB/T 26341-2010 disability grades 1-4"),
    MCAT(POVI_LABOUR_CAPACITY, "labour_capacity", "劳动能力", "labour capacity", labour_codes,
         "Labour capacity as on the registration form.",
         "[C] registration form field; [U] exact code list"),
    MCAT(POVI_SCHOOLING, "schooling", "在校生状况", "schooling status", schooling_codes,
         "Current schooling status.", "[U] code list modelled on the registration form"),
    MBOOL(POVI_MEDICAL_INSURANCE, "medical_insurance", "参加基本医疗保险",
          "basic medical insurance",
          "Covered by resident (or employee) basic medical insurance.", SRC_EXIT),
    MBOOL(POVI_PENSION_INSURANCE, "pension_insurance", "参加基本养老保险",
          "basic pension insurance", "Enrolled in resident (or employee) basic pension "
          "insurance.", "[C] village checklist: pension enrolment (domain.md §3)"),
    IND(POVI_MIGRANT_MONTHS, M, POV_TYPE_INTEGER, "migrant_months", "务工时间", "months of migrant work",
        "months", 0, 12, NULL, 0, 0, 0,
        "Months worked away from home in the reference year (exit: > 6 counts as an "
        "income source).", SRC_EXIT),
    MBOOL(POVI_PUBLIC_FUNDS_PAID, "public_funds_paid", "财政供养人员", "paid from public funds",
          "The member is paid from public funds (civil servant, public institution staff).",
          SRC_VETO),
};
