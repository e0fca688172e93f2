package demo

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/catalog"
)

// fieldTable is the dictionary of data items the demo resources are built
// from, one item a line: code, name, data type, length, grade (core,
// important or a general-data sensitivity L1..L4), then optionally a
// standard element code and a description. Items named like a standard
// element are linked to it automatically.
const fieldTable = `
GMSFHM     公民身份号码       C 18   important
XM         姓名               C 50   L3
XB         性别               C 1    L2 GB/T 2261.1
CSRQ       出生日期           D 8    L3
MZ         民族               C 2    L2 GB/T 3304
ZZ         住址               C 200  L3
SJHM       手机号码           C 11   L3
XZQHDM     行政区划代码       C 6    L1 GB/T 2260
TYSHXYDM   统一社会信用代码   C 18   L1 GB 32100
DWMC       单位名称           C 200  L1
FDDBR      法定代表人         C 50   L2
BDCDYH     不动产单元号       C 28   L2
ZZBH       证照编号           C 64   L2
DZYX       电子邮箱           C 100  L3
SHBZHM     社会保障号码       C 18   important
HJDZ       户籍地址           C 200  L3 DE00006
XZZ        现住址             C 200  L3
HJDQHDM    户籍地区划代码     C 6    L2 DE00011
HYZK       婚姻状况           C 2    L3 GB/T 2261.2
WHCD       文化程度           C 2    L2 GB/T 4658
HKLB       户口类别           C 2    L2
QRRQ       迁入日期           D 8    L2
QCRQ       迁出日期           D 8    L2
QYYY       迁移原因           C 100  L2
QCDQHDM    迁出地区划代码     C 6    L2 DE00011
JZZBH      居住证编号         C 30   L3
JZDZ       居住地址           C 200  L3
JZSY       居住事由           C 2    L2
DJRQ       登记日期           D 8    L1
DJJG       登记机关           C 100  L1
DJLX       登记类型           C 2    L2
NFXM       男方姓名           C 50   L3
NFGMSFHM   男方公民身份号码   C 18   important DE00001
NVFXM      女方姓名           C 50   L3
NVFGMSFHM  女方公民身份号码   C 18   important DE00001
JHZZH      婚姻登记证字号     C 30   L3
CSYXZMBH   出生医学证明编号   C 20   L3
XSEXM      新生儿姓名         C 50   L3
CSSJ       出生时间           T 14   L3
CSDD       出生地点           C 200  L3
MQXM       母亲姓名           C 50   L3
MQGMSFHM   母亲公民身份号码   C 18   important DE00001
FQXM       父亲姓名           C 50   L3
QFJG       签发机构           C 200  L1
SWRQ       死亡日期           D 8    L3
SWYY       死亡原因           C 200  L4
HHRQ       火化日期           D 8    L3
BYGMC      殡仪馆名称         C 200  L1
CJRZH      残疾人证号         C 20   L3
CJLB       残疾类别           C 2    L4
CJDJ       残疾等级           C 2    L4
ZZMC       证照名称           C 100  L1
ZZLXDM     证照类型代码       C 10   L1
CZZT       持证主体           C 200  L2
FZJG       发证机关           C 100  L1
FZRQ       发证日期           D 8    L1
YXQQ       有效期起始日期     D 8    L1
YXQZ       有效期截止日期     D 8    L1
ZZZT       证照状态           C 2    L1
ZZWJDZ     证照文件地址       C 500  L2
QYLX       企业类型           C 4    L1
ZCZB       注册资本           Y 18   L1
CLRQ       成立日期           D 8    L1
JYFW       经营范围           C 2000 L1
JYZT       经营状态           C 2    L1
ZS         住所               C 200  L1
HZRQ       核准日期           D 8    L1
YYQXZ      营业期限至         D 8    L1
HYDM       行业代码           C 4    L1 GB/T 4754
JGLX       机构类型           C 2    L1
JBDW       举办单位           C 200  L1
KBZJ       开办资金           Y 18   L1
ZZYWFW     宗旨和业务范围     C 2000 L1
YWZGDW     业务主管单位       C 200  L1
SHZZLX     社会组织类型       C 2    L1
JYZXM      经营者姓名         C 50   L3
ZCXS       组成形式           C 2    L1
JYCS       经营场所           C 200  L2
NSRSBH     纳税人识别号       C 20   L1
NSRMC      纳税人名称         C 200  L1
NSRZT      纳税人状态         C 2    L2
ZGSWJG     主管税务机关       C 200  L1
BDCQZH     不动产权证书号     C 50   L3
QLR        权利人             C 200  L3
QLRZJHM    权利人证件号码     C 18   important
ZL         坐落               C 300  L3
MJ         面积               N 14   L2
YT         用途               C 20   L1
QLXZ       权利性质           C 20   L1
QLLX       权利类型           C 20   L1
DJSJ       登记时间           T 14   L2
DYQR       抵押权人           C 200  L2
DYJE       抵押金额           Y 18   L3
ZWLXQX     债务履行期限       C 50   L2
ZDMJ       宗地面积           N 14   L1
GHYT       规划用途           C 50   L1
TBBH       图斑编号           C 30   L1
KJFW       空间范围           G 0    L2
KZDBH      控制点编号         C 20   core
KZDZB      控制点坐标         C 100  core
CHCGMC     成果名称           C 200  L1
BLC        比例尺             C 20   L1
SCRQ       生产日期           D 8    L1
BZDZBM     标准地址编码       C 50   L1
DMMC       地名名称           C 200  L1
DMLB       地名类别           C 20   L1
DMHY       地名含义           C 500  L1
LQZH       林权证号           C 50   L3
LDMJ       林地面积           N 14   L1
LZ         林种               C 10   L1
CFXKZH     采伐许可证号       C 30   L2
CFMJ       采伐面积           N 12   L1
CFXJ       采伐蓄积           N 12   L1
CBJYQZH    土地承包经营权证编号 C 30 L3
CBMJ       承包面积           N 12   L2
CBQX       承包期限           C 50   L1
FBFMC      发包方名称         C 200  L1
SKDM       水库代码           C 20   L1
SKMC       水库名称           C 100  L1
ZKR        总库容             N 14   L1
SW         水位               N 10   L1
XSL        蓄水量             N 14   L1
JCSJ       监测时间           T 14   L1
CZBM       测站编码           C 20   L1
CZMC       测站名称           C 100  L1
JYL        降雨量             N 10   L1
QSXKZH     取水许可证编号     C 30   L1
QSDD       取水地点           C 200  L1
NQSL       年取水量           N 14   L1
QSYT       取水用途           C 20   L1
CBXZ       参保险种           C 3    L2
CBZT       参保状态           C 2    L2
CBRQ       参保日期           D 8    L2
CBDWMC     参保单位名称       C 200  L2
JFJS       缴费基数           Y 18   L3
JFNY       缴费年月           C 6    L2
GRJFJE     个人缴费金额       Y 18   L3
DWJFJE     单位缴费金额       Y 18   L3
LJJFYS     累计缴费月数       I 10   L2
SBKH       社会保障卡卡号     C 20   L3
FAKRQ      发卡日期           D 8    L2
KZT        卡状态             C 2    L2
FKYH       发卡银行           C 100  L2
JRZH       金融账户           C 30   L4
DYLX       待遇类型           C 2    L2
DYFFJE     待遇发放金额       Y 18   L3
FFNY       发放年月           C 6    L2
JYDJRQ     就业登记日期       D 8    L2
JYXS       就业形式           C 2    L2
SYDJRQ     失业登记日期       D 8    L2
SYYY       失业原因           C 100  L2
ZYJNDJ     职业技能等级       C 2    L1
ZYMC       职业名称           C 100  L1
ZSBH       证书编号           C 50   L2
PJJG       评价机构           C 200  L1
YBBH       医保个人编号       C 30   L3
CBLX       参保类型           C 2    L2
JZLSH      就诊流水号         C 50   L2
YLJGDM     医疗机构代码       C 22   L1
YLJGMC     医疗机构名称       C 200  L1
JSRQ       结算日期           D 8    L2
YLFYZE     医疗费用总额       Y 18   L3
TCJJZF     统筹基金支付金额   Y 18   L3
GRZF       个人自付金额       Y 18   L3
ZDMC       诊断名称           C 200  L4
JIUZLX     就诊类型           C 2    L3
KSMC       科室名称           C 100  L2
DDJGLX     定点机构类型       C 2    L1
DDXYBH     定点协议编号       C 30   L1
MTBBZ      慢特病病种         C 100  L4
RDRQ       认定日期           D 8    L2
ZYXKZH     执业许可证登记号   C 50   L1
JGDJ       机构等级           C 4    L1
JGLB       机构类别           C 4    L1
HDCWS      核定床位数         I 10   L1
YSZGZSBM   医师资格证书编码   C 30   L2
YSZYZSBM   医师执业证书编码   C 30   L2
ZYLB       执业类别           C 10   L1
ZYFW       执业范围           C 100  L1
ZYDD       执业地点           C 200  L1
BLH        病历号             C 30   L4
JIUZRQ     就诊日期           D 8    L3
ZHUSU      主诉               C 500  L4
JKDABH     健康档案编号       C 30   L3
JDRQ       建档日期           D 8    L2
XX         血型               C 2    L3
GMS        过敏史             C 500  L4
JWS        既往史             C 1000 L4
CRBMC      传染病名称         C 100  L4
BGRQ       报告日期           D 8    L2
FBRQ       发病日期           D 8    L3
BGDW       报告单位           C 200  L1
BLFL       病例分类           C 2    L3
YMMC       疫苗名称           C 100  L2
YMPH       疫苗批号           C 30   L1
JZJC       接种剂次           I 2    L2
JZRQ       接种日期           D 8    L2
JZDW       接种单位           C 200  L1
SCQY       生产企业           C 200  L1
XXBSM      学校标识码         C 10   L1
XXMC       学校名称           C 200  L1
BXLX       办学类型           C 3    L1
XXJBZ      学校举办者         C 200  L1
ZXXSS      在校学生数         I 10   L1
JZGS       教职工数           I 10   L1
XJH        学籍号             C 19   L3
NJ         年级               C 2    L2
BJ         班级               C 20   L2
RXRQ       入学日期           D 8    L2
XJZT       学籍状态           C 2    L2
JHRXM      监护人姓名         C 50   L3
JHRLXDH    监护人联系电话     C 20   L3
XLCC       学历层次           C 2    L2
ZHYMC      专业名称           C 100  L1
BYZSBH     毕业证书编号       C 50   L2
BYRQ       毕业日期           D 8    L2
XZ         学制               C 4    L1
JSZGZSHM   教师资格证书号码   C 20   L2
RJXK       任教学科           C 50   L1
ZGZL       资格种类           C 20   L1
ZJCX       准驾车型           C 10   L2
CCLZRQ     初次领证日期       D 8    L2
JSZZT      驾驶证状态         C 2    L2
LJJF       累积记分           I 3    L3
HPHM       号牌号码           C 15   L3
HPZL       号牌种类           C 2    L1
CLLX       车辆类型           C 3    L1
CLPP       车辆品牌           C 50   L1
CLSBDH     车辆识别代号       C 17   L3
SYXZ       使用性质           C 2    L1
CCDJRQ     初次登记日期       D 8    L2
JDCZT      机动车状态         C 2    L2
WFSJ       违法时间           T 14   L3
WFDD       违法地点           C 200  L3
WFXW       违法行为           C 200  L3
FKJE       罚款金额           Y 18   L2
JF         记分               I 3    L3
CLJG       处理结果           C 2    L2
XLBM       线路编码           C 20   L1
XLMC       线路名称           C 100  L1
ZDBM       站点编码           C 20   L1
ZHANDMC    站点名称           C 100  L1
SMBSJ      首末班时间         C 50   L1
PJ         票价               Y 10   L1
XLCD       线路长度           N 10   L1
YSXKZH     道路运输经营许可证号 C 20 L1
YHLX       业户类型           C 2    L1
CLS        车辆数             I 10   L1
JCZDBM     监测站点编码       C 20   L1
JCZDMC     监测站点名称       C 100  L1
PM25       PM2.5浓度          N 10   L1
PM10       PM10浓度           N 10   L1
O3         臭氧浓度           N 10   L1
AQI        空气质量指数       I 4    L1
SYWRW      首要污染物         C 20   L1
KQZLDJ     空气质量等级       C 10   L1
SZDMMC     断面名称           C 100  L1
SZLB       水质类别           C 4    L1
RJY        溶解氧             N 10   L1
AD         氨氮               N 10   L1
ZLIN       总磷               N 10   L1
PWKBH      排污口编号         C 30   L1
WRWMC      污染物名称         C 50   L1
PFND       排放浓度           N 12   L1
PFBZ       排放标准限值       N 12   L1
SFCB       是否超标           L 1    L1
PWXKZBH    排污许可证编号     C 30   L1
HYLB       行业类别           C 100  L1
GLLB       管理类别           C 10   L1
XKJDSWH    行政许可决定书文号 C 100  L1
XKZSMC     许可证书名称       C 200  L1
XKBH       许可编号           C 100  L1
XKNR       许可内容           C 2000 L1
XKJDRQ     许可决定日期       D 8    L1
XKJG       许可机关           C 200  L1
XDRMC      行政相对人名称     C 200  L1
XDRLB      行政相对人类别     C 2    L1
CFJDSWH    行政处罚决定书文号 C 100  L1
WFXWLX     违法行为类型       C 200  L1
WFSS       违法事实           C 2000 L2
CFYJ       处罚依据           C 1000 L1
CFLB       处罚类别           C 50   L1
CFJE       罚没款金额         Y 18   L1
CFJDRQ     处罚决定日期       D 8    L1
CFJG       处罚机关           C 200  L1
GSJZQ      公示截止期         D 8    L1
XYPJDJ     信用评价等级       C 2    L2
PJRQ       评价日期           D 8    L2
PJND       评价年度           C 4    L1
PJJGMC     评价机关           C 200  L1
CNNR       承诺内容           C 2000 L1
CNRQ       承诺日期           D 8    L1
CNLX       承诺类型           C 20   L1
MDLX       名单类型           C 20   L1
LRYY       列入原因           C 500  L2
LRRQ       列入日期           D 8    L1
YCRQ       移出日期           D 8    L1
RDJG       认定机关           C 200  L1
NSXYJB     纳税信用级别       C 1    L2
TJND       统计年度           C 4    L1
TJQ        统计期             C 6    L1
ZBBM       指标编码           C 20   L1
ZBMC       指标名称           C 200  L1
ZBZ        指标值             N 20   L1
JLDW       计量单位           C 20   L1
TBZZ       同比增长率         N 10   L1
YSKMBM     预算科目编码       C 20   L1
YSKMMC     预算科目名称       C 200  L1
YSJE       预算金额           Y 18   L1
ZXJE       执行金额           Y 18   L1
ZXL        执行率             N 8    L1
SZ         税种               C 20   L1
RKSE       入库税额           Y 18   L2
XMDM       项目代码           C 24   L1
XMMC       项目名称           C 200  L1
ZTZ        总投资             Y 18   L1
JSDD       建设地点           C 200  L1
JSNR       建设内容           C 2000 L1
SPRQ       审批日期           D 8    L1
XMZT       项目状态           C 2    L1
SPMC       商品名称           C 100  L1
GGXH       规格型号           C 100  L1
JG         价格               Y 12   L1
CJRQ       采价日期           D 8    L1
JCDMC      监测点名称         C 100  L1
CPI        居民消费价格指数   N 10   L1
GYZCZ      工业总产值         Y 18   L2
YYSR       营业收入           Y 18   L2
LRZE       利润总额           Y 18   L2
CYRS       从业人数           I 10   L2
YDHH       用电户号           C 20   L2
YDDZ       用电地址           C 200  L3
YDLB       用电类别           C 4    L1
YYDL       月用电量           N 14   L2
YDNY       用电年月           C 6    L1
HYYDL      行业用电量         N 16   L1
SBRL       受电容量           N 12   L2
BDZMC      变电站名称         C 100  important
BDZZB      变电站坐标         C 100  core
DYDJ       电压等级           C 10   L2
SDXLZX     输电线路走向       G 0    core
YSHH       用水户号           C 20   L2
YSDZ       用水地址           C 200  L3
YYSL       月用水量           N 12   L2
SFJE       水费金额           Y 12   L3
CBNY       抄表年月           C 6    L1
RQHH       燃气户号           C 20   L2
YQDZ       用气地址           C 200  L3
YQL        月用气量           N 12   L2
RQLX       燃气类型           C 10   L1
AQJCRQ     安全检查日期       D 8    L2
QYBM       区域编码           C 20   L1
QYMC       区域名称           C 100  L1
TJSD       统计时段           C 20   L1
RKSL       人口数量           I 10   L2
LRRS       流入人数           I 10   L2
LCRS       流出人数           I 10   L2
JCKLX      进出口类型         C 2    L1
SPBM       商品编码           C 10   L1
JCKE       进出口金额         Y 18   L2
MYFS       贸易方式           C 4    L1
GBDQ       国别地区           C 50   L1
BABH       备案编号           C 30   L1
BARQ       备案日期           D 8    L1
YFKFXJE    预付卡发行金额     Y 18   L2
JQMC       景区名称           C 200  L1
JQDJ       景区等级           C 2    L1
KFSJ       开放时间           C 100  L1
MPJG       门票价格           Y 10   L1
ZDCZL      最大承载量         I 10   L1
JDRS       接待人数           I 10   L1
TJRQ       统计日期           D 8    L1
CGMC       场馆名称           C 200  L1
CGLX       场馆类型           C 20   L1
KFZT       开放状态           C 2    L1
WBDWMC     文物保护单位名称   C 200  L1
BHJB       保护级别           C 10   L1
ND         年代               C 50   L1
WWLB       文物类别           C 20   L1
GBPC       公布批次           C 20   L1
JYXKZH     经营许可证号       C 30   L1
TYZDYDJ    社会体育指导员等级 C 10   L2
ZDXM       指导项目           C 50   L1
SSMC       赛事名称           C 200  L1
JBSJ       举办时间           T 14   L1
JBDD       举办地点           C 200  L1
CSRS       参赛人数           I 10   L1
ZBDW       主办单位           C 200  L1
AQSCXKZBH  安全生产许可证编号 C 30   L1
XKFW       许可范围           C 500  L1
FXDJ       风险等级           C 2    L2
WHPMC      危险化学品名称     C 100  L2
CASH       CAS号              C 20   L1
CCL        储存量             N 14   L2
ZDWXYDJ    重大危险源等级     C 2    L3
ZHLX       灾害类型           C 4    L1
FSSJ       发生时间           T 14   L1
SZRK       受灾人口           I 10   L1
SWSZRK     死亡失踪人口       I 10   L2
JJZYRK     紧急转移安置人口   I 10   L1
ZJJJSS     直接经济损失       Y 18   L1
WZMC       物资名称           C 100  L1
WZLB       物资类别           C 20   L1
WZSL       物资数量           N 14   L2
CBKMC      储备库名称         C 200  L2
CBKDZ      储备库地址         C 200  L2
BNCSMC     避难场所名称       C 200  L1
RNRS       容纳人数           I 10   L1
HDBH       火点编号           C 30   L1
FXSJ       发现时间           T 14   L1
HDWZ       火点位置           C 200  L1
BZFLX      保障房类型         C 2    L2
FWZL       房屋坐落           C 300  L3
JZMJ       建筑面积           N 12   L2
ZJBZ       租金标准           Y 12   L2
HTBH       合同编号           C 50   L2
HTJE       合同金额           Y 18   L3
WQRQ       网签日期           D 8    L2
MSRXM      买受人姓名         C 50   L3
MSRZJHM    买受人证件号码     C 18   important
SGXKZBH    施工许可证编号     C 50   L1
JSDW       建设单位           C 200  L1
SGDW       施工单位           C 200  L1
GCMC       工程名称           C 200  L1
GCZJ       工程造价           Y 18   L1
ZZDJ       资质等级           C 20   L1
ZZLB       资质类别           C 50   L1
ZZZSH      资质证书号         C 50   L1
GJJZH      公积金个人账号     C 20   L3
DWZH       单位账号           C 20   L2
JCJS       缴存基数           Y 18   L3
JCBL       缴存比例           N 6    L2
YJCE       月缴存额           Y 18   L3
ZHYE       账户余额           Y 18   L4
ZHZT       账户状态           C 2    L2
KHRQ       开户日期           D 8    L2
DKHTBH     贷款合同编号       C 50   L3
DKJE       贷款金额           Y 18   L3
DKQX       贷款期限           I 4    L2
DKLL       贷款利率           N 8    L2
FANGKRQ    放款日期           D 8    L2
DKYE       贷款余额           Y 18   L3
TQLX       提取类型           C 2    L2
TQJE       提取金额           Y 18   L3
TQRQ       提取日期           D 8    L2
JZLX       救助类型           C 2    L3
JZJE       救助金额           Y 12   L3
JTRKS      家庭人口数         I 4    L3
BZQSNY     保障起始年月       C 6    L2
BZBZ       保障标准           Y 12   L1
GYXS       供养形式           C 2    L3
ZLNL       自理能力           C 2    L4
JTRJSR     家庭月人均收入     Y 12   L4
YANGLJGMC  养老机构名称       C 200  L1
CWS        床位数             I 10   L1
SZRS       收住人数           I 10   L1
JGXZ       机构性质           C 2    L1
FFJE       发放金额           Y 12   L3
YFDXLB     优抚对象类别       C 4    L3
RWRQ       入伍日期           D 8    L3
TYRQ       退役日期           D 8    L3
SXBM       事项编码           C 50   L1
SXMC       事项名称           C 300  L1
SXLX       事项类型           C 20   L1
SSZT       实施主体           C 200  L1
FDBJSX     法定办结时限       I 4    L1
CNBJSX     承诺办结时限       I 4    L1
BLDD       办理地点           C 200  L1
SFSF       是否收费           L 1    L1
BJBH       办件编号           C 50   L1
SQRMC      申请人名称         C 200  L3
SQRZJHM    申请人证件号码     C 18   important
SLSJ       受理时间           T 14   L1
BJSJ       办结时间           T 14   L1
BLJG       办理结果           C 2    L1
BLQD       办理渠道           C 2    L1
PJDJ       评价等级           C 1    L1
PJNR       评价内容           C 500  L2
PJSJ       评价时间           T 14   L1
ZGQK       整改情况           C 500  L1
ZFZH       执法证号           C 20   L2
ZFML       执法门类           C 50   L1
SZDW       所在单位           C 200  L1
JCRQ       检查日期           D 8    L1
JCDX       检查对象           C 200  L1
JCJG       检查结果           C 500  L1
JCLX       检查类型           C 20   L1
LSZYZH     律师执业证号       C 17   L2
LSSWSMC    律师事务所名称     C 200  L1
ZYZT       执业状态           C 2    L1
TJZZMC     人民调解组织名称   C 200  L1
TJYS       调解员人数         I 6    L1
JZLB       矫正类别           C 2    L4
JZQX       矫正期限           C 50   L4
JZQSRQ     矫正起始日期       D 8    L4
JDJG       决定机关           C 200  L2
FLYZAH     法律援助案号       C 50   L2
AJLX       案件类型           C 20   L2
ZPRQ       指派日期           D 8    L2
DH         档号               C 50   L1
TM         题名               C 500  L1
XCND       形成年度           C 4    L1
BGQX       保管期限           C 10   L1
QZMC       全宗名称           C 200  L1
BZS        编制数             I 10   L2
SYRS       实有人数           I 10   L2
JGJB       机构级别           C 10   L1
NSJGS      内设机构数         I 4    L2
ZCBH       资产编号           C 50   L2
ZCMC       资产名称           C 200  L2
ZCFLDM     资产分类代码       C 20   L2
QDRQ       取得日期           D 8    L2
YZ         原值               Y 18   L2
SYZK       使用状况           C 2    L2
YZYLX      云资源类型         C 20   L2
VCPU       vCPU核数           I 6    L2
NCRL       内存容量           I 8    L2
CCRL       存储容量           I 10   L2
ZYCP       主营产品           C 200  L1
GDMJ       耕地面积           N 12   L2
BTJE       补贴金额           Y 12   L3
BTND       补贴年度           C 4    L1
QYGM       企业规模           C 2    L1
ZJTXLX     专精特新类型       C 10   L1
RDND       认定年度           C 4    L1
GXSJ       更新时间           T 14   L1
LXDH       联系电话           C 20   L2
DZ         地址               C 200  L1
JD         经度               F 16   L1
WD         纬度               F 16   L1
YWLSH      业务流水号         C 50   L1
CPBH       产品编号           C 50   L1
CPMC       产品名称           C 200  L1
CPLX       产品类型           C 20   L1
GPRQ       挂牌日期           D 8    L1
SJLYSM     数据来源说明       C 1000 L1
CPZT       产品状态           C 2    L1
TZSBDM     设备代码           C 30   L1
SBLB       设备类别           C 20   L1
XCJYRQ     下次检验日期       D 8    L1
BZ         备注               C 500  L1
`

// fields is fieldTable parsed, by code.
var fields = parseFields(fieldTable)

func parseFields(table string) map[string]catalog.DataItem {
	byName := map[string]string{}
	for _, e := range catalog.DefaultElements {
		byName[e.Name] = e.Code
	}
	out := map[string]catalog.DataItem{}
	for n, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 5 {
			panic(fmt.Sprintf("demo: field table line %d: too few columns", n))
		}
		length, err := strconv.Atoi(f[3])
		if err != nil {
			panic(fmt.Sprintf("demo: field table line %d: %v", n, err))
		}
		it := catalog.DataItem{Code: f[0], Name: f[1], DataType: f[2], Length: length, Element: byName[f[1]]}
		switch g := f[4]; g {
		case "core", "important":
			it.Category, it.Sensitivity = g, "L4"
		default:
			it.Category, it.Sensitivity = "general", g
		}
		rest := f[5:]
		if len(rest) > 0 && strings.HasPrefix(rest[0], "DE") {
			it.Element, rest = rest[0], rest[1:]
		}
		it.Description = strings.Join(rest, " ")
		if _, dup := out[it.Code]; dup {
			panic("demo: duplicate field code " + it.Code)
		}
		out[it.Code] = it
	}
	return out
}

// itemsOf builds a resource's data items from a comma-separated list of
// field codes. A code ending in * is a primary key; without one the first
// item is. Keys and the first three items are required.
func itemsOf(spec string) []catalog.DataItem {
	codes := strings.Split(spec, ",")
	out := make([]catalog.DataItem, 0, len(codes))
	hasKey := strings.Contains(spec, "*")
	for i, c := range codes {
		c = strings.TrimSpace(c)
		key := strings.HasSuffix(c, "*")
		c = strings.TrimSuffix(c, "*")
		it, ok := fields[c]
		if !ok {
			panic("demo: unknown field " + c)
		}
		it.PrimaryKey = key || (!hasKey && i == 0)
		it.Required = it.PrimaryKey || i < 3
		out = append(out, it)
	}
	return out
}
