"""keras.layers.SimpleRNN, LSTM, GRU and Bidirectional against tf_keras 2.21: outputs,
states and gradients (float64, weights set from a seeded generator in both runs),
go_backwards, return_sequences / return_state, every merge mode, weight names and
shapes, config, a model that fits, model.summary(), and a save/load round trip.
Gradients are also checked numerically.

The expected numbers were printed by tf_keras 2.21 (/work/oracles/tf-venv); each
script is quoted beside its numbers. tinyflow's tests never import TensorFlow."""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import keras

from _keras import summary_text

L = keras.layers


@pytest.fixture(autouse=True)
def _fresh_names(fresh_names):
    """Every test here starts with fresh layer names (fresh_names: conftest.py)."""


_summary = summary_text


# --- outputs, states and gradients against tf_keras ------------------------------------------
#
# import numpy as np, tensorflow as tf, tf_keras as keras
# keras.backend.set_floatx("float64")
# L = keras.layers
# def run(name, layer):
#     rng = np.random.default_rng(0)
#     x = rng.normal(size=(2, 4, 3))
#     layer.build(x.shape)
#     layer.set_weights([rng.normal(size=v.shape) * 0.5 for v in layer.weights])
#     xt = tf.constant(x)
#     with tf.GradientTape() as tape:
#         tape.watch(xt)
#         outs = tf.nest.flatten(layer(xt))
#         loss = sum(tf.reduce_sum(o * np.linspace(-1, 1, int(np.prod(o.shape))).reshape(o.shape))
#                    for o in outs)
#     grads = tape.gradient(loss, [xt] + layer.trainable_weights)
#     print(f'    "{name}": dict(')
#     print("        outs=", [o.numpy().round(12).tolist() for o in outs], ",")
#     print("        grads=", [g.numpy().round(12).tolist() for g in grads], "),")
# run("simple_rnn", L.SimpleRNN(2, return_sequences=True, return_state=True))
# run("lstm", L.LSTM(2, return_sequences=True, return_state=True))
# run("gru", L.GRU(2, return_sequences=True, return_state=True))
# run("lstm_backwards", L.LSTM(2, go_backwards=True))
# run("gru_backwards_seq", L.GRU(2, go_backwards=True, return_sequences=True))
# run("simple_rnn_relu_nobias", L.SimpleRNN(2, activation="relu", use_bias=False))
# run("bi_lstm_concat", L.Bidirectional(L.LSTM(2, return_sequences=True)))
# run("bi_gru_sum_state", L.Bidirectional(L.GRU(2, return_state=True), merge_mode="sum"))
# run("bi_rnn_mul", L.Bidirectional(L.SimpleRNN(2), merge_mode="mul"))
# run("bi_lstm_ave", L.Bidirectional(L.LSTM(2), merge_mode="ave"))
# run("gru_reset_before", L.GRU(2, reset_after=False, return_state=True))

TF_RECURRENT = {'bi_gru_sum_state': {'grads': [[[[-0.157297298225, 0.312053302108, 0.359026997434],
                                  [-0.049984142949, 0.102205697707, 0.223055153897],
                                  [0.151194680745, -0.127889574788, 0.477842590665],
                                  [0.244694634435, -0.119180425123, 0.777988319972]],
                                 [[0.072698351961, 0.237638057883, -0.801856668101],
                                  [-0.102505808846, -0.026837613965, -0.465964895643],
                                  [-0.06194594524, 0.163892647872, -0.017942744474],
                                  [0.195028813458, 0.132889394368, 0.700699334306]]],
                                [[0.371316969211, -0.256677965144, -0.022569674919,
                                  -0.178334535705, -0.075729332826, 1.804619709751],
                                 [0.040820504207, -0.050010509583, 0.044647192056,
                                  0.060456841353, 0.480493383541, -0.202283905484],
                                 [0.050982379714, -0.081405497415, -0.07646675287,
                                  -0.051717369388, -0.381332115244, 0.262975129588]],
                                [[0.024172791705, 0.026221930557, -0.01907743162,
                                  -0.007314901631, 1.255326720282, 0.181967972312],
                                 [-0.130523007662, 0.085560625926, -0.108487366991,
                                  0.016454967138, 0.119730709283, -0.391186131429]],
                                [[0.147386596002, -0.128869652395, 0.236306244085,
                                  -0.063667572214, -0.328112969085, 1.818190399619],
                                 [0.147386596002, -0.128869652395, 0.236306244085,
                                  -0.063667572214, -0.203379071316, 0.890747670386]],
                                [[0.001513547787, 0.106185093572, 0.097278638263,
                                  -0.229943530596, -1.478442077931, -2.251673439564],
                                 [0.043356787622, 0.069429333643, -0.01474117872,
                                  -0.021295974952, 0.101363326768, -0.167261832531],
                                 [-0.016425088018, -0.073366795062, 0.118819095584,
                                  -0.144362043091, -1.561398906036, -1.401364320226]],
                                [[-0.021437863698, -0.006701343516, 0.017638622405,
                                  0.012123893035, -0.097080862011, 0.182304320689],
                                 [-0.07148721937, -0.058675507898, 0.03687374566,
                                  0.036410055298, -0.179590843896, 0.373725867669]],
                                [[-0.144184801501, -0.052301996399, 0.075569392963,
                                  0.073247859472, -0.596858296924, 0.68913786111],
                                 [-0.144184801501, -0.052301996399, 0.075569392963,
                                  0.073247859472, -0.368491892287, 0.762776839905]]],
                      'outs': [[[-0.4169972489, -0.369864535138],
                                [-0.177200655078, 0.474191323891]],
                               [[-0.523692189494, -0.757094455416],
                                [-0.556452179307, -0.248659567659]],
                               [[0.106694940593, 0.387229920278],
                                [0.379251524229, 0.72285089155]]]},
 'bi_lstm_ave': {'grads': [[[[-0.038382609577, 0.034384343592, 0.033499220649],
                             [0.00584147031, 0.03698841901, 0.015283123221],
                             [0.058463398548, 0.093162082449, -0.007121127296],
                             [-0.00183811264, 0.033457135891, 0.03283590886]],
                            [[0.017320084927, 0.005515349865, -0.014757012811],
                             [0.004667823782, -0.002626329948, -0.010464053187],
                             [-0.000416382071, -0.014982990019, -0.013848959722],
                             [0.015197045836, -0.071976643729, -0.099550499022]]],
                           [[0.063218656274, -0.030150769448, -0.024760361743, -0.039045817574,
                             -0.114787820911, 0.072102387951, 0.057799581335, -0.126616524537],
                            [0.042256042613, 0.006950228783, -0.017416219511, 0.016909652325,
                             -0.081386416775, -0.028737784471, 0.011857839053, 0.037357521985],
                            [-0.02289342265, -0.003832205964, 0.01351177377, -0.014774082057,
                             0.060386657148, 0.022567900278, 0.002540707773, -0.030357390415]],
                           [[0.000973547168, -0.007555842201, -0.00274017679, -0.00493026267,
                             -0.020992886674, 0.011976177444, 0.001836091943, -0.009060664744],
                            [0.012412492939, 0.009285546294, 0.006853303603, 0.009909269635,
                             0.067147604982, -0.02216974132, 0.004298556189, 0.022626048753]],
                           [-0.049205778042, -0.040263582636, -0.018246290727, -0.027123939089,
                            -0.228247580592, 0.070234626818, -0.020010582289, -0.044820977309],
                           [[-0.023833326147, 0.01352617178, -0.017614714544, -0.006346748448,
                             -0.096508115542, -0.060652929028, -0.040174168889,
                             0.004057748285],
                            [0.021206360696, 0.01014976844, 0.002986228708, -0.000626533163,
                             -0.024325778177, -0.005392495515, 0.004754955321, 0.001630567662],
                            [-0.049415452989, -0.006593012773, -0.020648593124, -0.005809312744,
                             -0.028162087515, -0.060115585422, -0.051631819495,
                             -0.005361017525]],
                           [[-0.006582593659, -0.000613247051, -0.006599991423, -0.001014949899,
                             -0.033694607621, -0.010555820999, -0.009211180025,
                             -0.001374690006],
                            [-0.006349194638, -0.000865570602, -0.003875446262, -3.144293e-05,
                             -0.011756710796, -0.003951801333, -0.006103437395,
                             -0.000414583353]],
                           [-0.048771173285, -0.002988539769, -0.032633960482, -0.002628750082,
                            -0.185066778702, -0.022209733146, -0.03952540986,
                            -0.007367954106]],
                 'outs': [[[0.199548084713, -0.072143777833],
                           [0.142743523297, -0.152447309809]]]},
 'bi_lstm_concat': {'grads': [[[[-0.132866164888, 0.191219773886, 0.282668319008],
                                [-0.134959466144, 0.107079352743, 0.231406654147],
                                [0.150229885206, 0.408711776457, 0.113923253747],
                                [-0.051158427211, 0.034389476147, 0.042740261617]],
                               [[0.01450009375, -0.032467706133, -0.055429316867],
                                [0.044676056787, -0.048497073532, -0.097357891165],
                                [-0.112064627083, -0.350986294658, -0.031711468458],
                                [0.02921122636, -0.264558148136, -0.236641930613]]],
                              [[-0.085540832379, 0.096784527906, -0.013397978048,
                                -0.033266376217, -0.25117847084, 0.001549532055, 0.076671014549,
                                -0.113653533421],
                               [0.010949308685, -0.040440120526, 0.007613123223, 0.008917572668,
                                0.068635283718, 0.024609846912, 0.035988663958,
                                0.000788243013],
                               [-0.137439101029, 0.163819566292, 0.002586314633,
                                -0.020803632478, -0.281680156633, -0.099171616502,
                                -0.05067288943, 0.02619437048]],
                              [[0.003933548892, -0.024905718782, 0.008273003897,
                                -0.009653807125, 0.039451889749, 0.030892879856, 0.014344478377,
                                -0.017285060001],
                               [0.010967986936, 0.005802366734, -0.001185015677, 0.005192345086,
                                0.017942821141, -0.018107510738, -0.008028620293,
                                0.011453173233]],
                              [-0.053543057371, 0.012271936729, 0.036028880589, -0.035129049182,
                               -0.145621176239, 0.012799314155, 0.006002447721,
                               0.036631253203],
                              [[0.204562092806, 0.07662760723, -0.03787040652, 0.006490620924,
                                -0.021497692518, 0.082243636084, 0.012793673853,
                                0.053908472085],
                               [0.001870618932, 0.020819454001, 0.037170730576, 0.050689408646,
                                -0.244619517348, 0.041620474008, -0.032417348467,
                                0.040879464083],
                               [-0.067089675493, 0.031826920925, -0.027612924221,
                                -0.042288953491, 0.23879189657, -0.25498231161, -0.071487214036,
                                -0.039139726484]],
                              [[-0.026216773053, -0.000787292203, -0.009450785699,
                                -0.001957608257, -0.069525923796, -0.089244052228,
                                -0.029072639959, -0.007193005001],
                               [-0.02146239082, 0.025221201266, 0.00351249871, 0.003632577902,
                                0.074225582033, -0.043074813329, -0.011523531315,
                                0.004855323116]],
                              [-0.135288826205, 0.059884685379, -0.053440222773, 0.002745179257,
                               -0.111550212874, -0.164753631733, -0.067313857815,
                               -0.020775875945]],
                    'outs': [[[[0.105580719825, -0.313619310334, 0.255807654066,
                                0.191260591802],
                               [0.162642242251, -0.348450757251, 0.226323988902,
                                0.133680408159],
                               [-0.00216782705, -0.299590962394, 0.125106848924,
                                0.167411566427],
                               [0.143288515359, -0.335548147468, 0.157156286579,
                                -0.069575755385]],
                              [[0.163514094168, -0.056207429694, 0.186305461836,
                                0.000423774321],
                               [0.216084502623, -0.173023124714, 0.182095348385,
                                0.065213125131],
                               [0.134720424911, -0.425914409505, 0.006459797507,
                                0.260717308926],
                               [0.099181584758, -0.305318393939, 0.184215515762,
                                0.259548777895]]]]},
 'bi_rnn_mul': {'grads': [[[[-0.032166569359, 0.036692025807, -0.155542039632],
                            [-0.080835323931, 0.090253689436, 0.002935715969],
                            [0.126639146334, -0.091480145738, -0.070889174218],
                            [-0.279763479545, 0.345835484002, 0.103756912877]],
                           [[-0.037022706239, 0.348389377902, 0.348715740157],
                            [0.01076695089, -0.04985795045, -0.064403205277],
                            [-0.035871827794, 0.011132216629, 0.026967943586],
                            [0.070206738011, -0.151611794847, -0.006286675266]]],
                          [[1.268183890057, 0.615673251401], [0.510737302248, 0.048994237877],
                           [-0.166466527546, 0.066328779212]],
                          [[-0.22780530025, -0.149466499313], [0.13465583737, -0.00486288044]],
                          [-0.299194575776, -0.030098478101],
                          [[0.007212666949, -1.026592623773],
                           [-0.068532783901, -0.070582492326],
                           [0.131417276757, -0.563858465262]],
                          [[0.23082972795, 0.37770740538], [0.2334739501, 0.175670370772]],
                          [0.291991708103, 0.401490217498]],
                'outs': [[[-0.264387631763, 0.290277341698], [0.76972069354, 0.149529585108]]]},
 'gru': {'grads': [[[[-0.068922142733, -0.073394471584, -0.120721655872],
                     [-0.02789633819, -0.047314349716, 0.012986015267],
                     [0.115378432873, -0.114006794529, 0.337287066592],
                     [0.148864321871, -0.096313279903, 0.437301380668]],
                    [[-0.276120982925, 0.187401170302, -0.405006868902],
                     [-0.26954251414, 0.1777737116, -0.464154477392],
                     [-0.169241349095, 0.290751537281, 0.000898320653],
                     [0.216589231104, 0.119382731622, 0.628939868]]],
                   [[0.70960656568, -0.686765955202, -0.063214721295, -0.147306599714,
                     -2.160924557293, 1.289158087875],
                    [0.088718885632, -0.131815987716, 0.064067947014, 0.033561079111,
                     0.438294471534, 0.298403022525],
                    [0.034724273236, -0.264566158275, -0.132534026611, -0.032816157996,
                     -1.715566354711, -0.566569138848]],
                   [[0.103246639722, 0.061500936098, 0.044478031021, -0.032572525123,
                     1.591990665598, 0.481747434902],
                    [-0.250989153996, 0.113510602376, -0.174050863651, 0.01198271866,
                     -0.771039881139, -0.707504207152]],
                   [[-0.00124161352, -0.105117366476, 0.362933970594, 0.034006182177,
                     1.54074902541, 1.615147117893],
                    [-0.00124161352, -0.105117366476, 0.362933970594, 0.034006182177,
                     1.202540275995, 0.77969902583]]],
         'outs': [[[[-0.519401656127, 0.038575156383], [-0.714158721217, -0.271439337077],
                    [-0.538233588351, -0.58176134695], [-0.523692189494, -0.757094455416]],
                   [[0.547399111477, -0.553650190325], [0.264052696989, -0.551180507427],
                    [-0.151554003445, -0.330764261785], [-0.556452179307, -0.248659567659]]],
                  [[-0.523692189494, -0.757094455416], [-0.556452179307, -0.248659567659]]]},
 'gru_backwards_seq': {'grads': [[[[-4.6723439e-05, -0.007480598372, 0.008875499355],
                                   [-0.006989903493, -0.029656247665, 0.010183329581],
                                   [0.099033155305, -0.107701827971, 0.235589711465],
                                   [0.187095573726, -0.159739691201, 0.433559499555]],
                                  [[-0.144868684071, 0.09678085188, -0.315586942528],
                                   [-0.106161133914, 0.09877498346, -0.304553321029],
                                   [-0.043680452863, 0.117029498878, -0.104719539249],
                                   [0.089081068666, -0.005809525847, 0.130794492106]]],
                                 [[0.480658192483, -0.018047020103, 0.081258791623,
                                   0.03091412583, -0.723572644989, 0.658760855788],
                                  [-0.026733692489, 0.060420632926, 0.006182059983,
                                   -0.028569014312, 0.261263584663, 0.215937677487],
                                  [0.149219610452, -0.086293900432, 0.033785771474,
                                   0.017151012781, -0.592881242283, 0.071801304527]],
                                 [[0.049609616301, -0.106011510327, 0.024232929931,
                                   0.029199161899, -0.480146205158, -0.102786291264],
                                  [0.08300023143, -0.064289750465, 0.01732093812,
                                   -0.008173643303, -0.253293365646, 0.047417487632]],
                                 [[-0.046705839055, 0.052394084641, -0.079256046502,
                                   -0.038355897295, -0.177046011776, 0.04032104544],
                                  [-0.046705839055, 0.052394084641, -0.079256046502,
                                   -0.038355897295, -0.118084257867, -0.034925995069]]],
                       'outs': [[[[-0.190950068459, -0.332601682196],
                                  [-0.28406150721, -0.516087267215],
                                  [-0.63721553208, -0.481275903431],
                                  [-0.821976579984, -0.466980859526]],
                                 [[-0.402365729006, -0.047062012014],
                                  [-0.500552301845, -0.316439346342],
                                  [-0.427365434277, -0.660597100353],
                                  [0.438531693071, -0.885511238792]]]]},
 'gru_reset_before': {'grads': [[[[-0.009134548642, 0.003247180476, 0.010770087771],
                                  [-0.002628424642, -0.007493439694, 0.031543290122],
                                  [0.101204278056, -0.101473363026, 0.27616721113],
                                  [0.188475032358, -0.149165741554, 0.648801018715]],
                                 [[-0.087645373495, 0.059364255592, -0.142973648434],
                                  [-0.051141679633, 0.040331409267, -0.084569900947],
                                  [-0.017911292365, 0.123389552853, 0.119519827861],
                                  [0.16315799523, 0.142918718022, 0.593553914636]]],
                                [[0.31227513737, -0.388886746011, -0.194085810305,
                                  -0.043262427215, 0.066242607032, 1.354576222605],
                                 [0.053976437767, -0.061642290154, 0.033649054954,
                                  -0.000129852423, 0.413855832962, -0.122823732478],
                                 [0.012914102899, -0.142882001571, -0.093478174216,
                                  -0.005307205377, -0.270236710818, 0.15109238092]],
                                [[-0.001341248933, 0.088397452171, -0.074621111808,
                                  -0.000154623496, 0.673705553473, 0.058609345474],
                                 [-0.100257628005, 0.071490272392, -0.073190136927,
                                  0.019964625614, 0.134796955479, -0.353481747895]],
                                [0.145710124742, -0.095190835525, 0.221064646565,
                                 -0.050450992764, -0.522540359421, 1.474762682989]],
                      'outs': [[[-0.566886003999, -0.621974785207],
                                [-0.631462714951, -0.28223232302]],
                               [[-0.566886003999, -0.621974785207],
                                [-0.631462714951, -0.28223232302]]]},
 'lstm': {'grads': [[[[0.071453107424, 0.27248153907, 0.175984706877],
                      [0.04907161973, 0.15693981847, 0.061784567721],
                      [0.263211985887, 0.384382186579, -0.127488618829],
                      [-0.043517396374, 0.176835669663, 0.229223036362]],
                     [[0.001171350251, -0.071421549895, -0.092275978004],
                      [-0.023334836032, -0.126613179542, -0.127466260855],
                      [-0.081720328263, -0.244811691277, -0.141811668223],
                      [0.095442491639, -0.437656238012, -0.559179560127]]],
                    [[0.238396943901, -0.140788717626, -0.139697641392, -0.356177823295,
                      -0.85835773828, 0.585560090016, 0.18937059996, -0.392940692154],
                     [0.226908574099, 0.010973145285, -0.085821730015, 0.124630505084,
                      -0.40305563279, -0.180089736065, 0.065884952376, 0.116651502207],
                     [-0.302161497761, 0.141995323191, 0.081648808206, -0.121501418573,
                      0.035583134066, 0.058028150686, -0.053448176488, -0.051651533366]],
                    [[0.014604603266, -0.085643451978, 0.000802919702, -0.050618311675,
                      -0.030025878406, 0.127858069309, 0.022638151319, -0.041560766166],
                     [0.076277441139, 0.084389307829, 0.02894911745, 0.08885990008,
                      0.338313371739, -0.201265648755, -0.004987216047, 0.085185545748]],
                    [-0.286192872061, -0.336243939493, -0.023949677158, -0.265078314374,
                     -1.143157416968, 0.603439109734, -0.006216245077, -0.13957054058]],
          'outs': [[[[0.105580719825, -0.313619310334], [0.162642242251, -0.348450757251],
                     [-0.00216782705, -0.299590962394], [0.143288515359, -0.335548147468]],
                    [[0.163514094168, -0.056207429694], [0.216084502623, -0.173023124714],
                     [0.134720424911, -0.425914409505], [0.099181584758, -0.305318393939]]],
                   [[0.143288515359, -0.335548147468], [0.099181584758, -0.305318393939]],
                   [[0.267834123193, -0.745103284783], [0.429410233253, -0.633716248643]]]},
 'lstm_backwards': {'grads': [[[[0.045243216055, 0.071154012186, 0.01744721941],
                                [-0.000492182975, 0.057890706875, 0.042298896044],
                                [0.054865961438, 0.061446154722, -0.040297687103],
                                [-0.002784653295, 0.007533019176, 0.004045861971]],
                               [[0.003132052445, -0.105582576301, -0.134164507794],
                                [0.014352117235, -0.028223881777, -0.04719157816],
                                [-0.00363715551, -0.018381962445, -0.014344853978],
                                [-0.003890859354, -0.01046787162, -0.006627551759]]],
                              [[-0.010981918961, 0.075466612295, -0.043511363988,
                                0.081275728196, -0.284282562378, -0.067758880681,
                                -0.109840920177, 0.327523929663],
                               [0.047763570882, 0.001985182145, -0.020562646185, 0.005264395341,
                                -0.069991438901, -0.002963646203, 0.003066829499,
                                0.026265122209],
                               [-0.08799870122, 0.056042952409, -0.001820951158, 0.050847725017,
                                -0.060078067034, -0.052274936712, -0.106319482769,
                                0.201382127037]],
                              [[0.003052968522, -0.003278743921, -0.003000225378,
                                -0.002989979924, -0.032576809446, 0.001476141664,
                                -5.2429713e-05, -0.01484756877],
                               [0.016103565744, 0.009429121013, 0.002509463414, 0.009692791911,
                                0.095221777109, -0.006246578755, 0.016276599313,
                                0.021478530114]],
                              [-0.072699118488, -0.040601164108, -0.011880320205,
                               -0.028447839145, -0.402755099495, 0.029912332324,
                               -0.037650141689, -0.091172950676]],
                    'outs': [[[0.165132121556, -0.512531107654],
                              [0.249280997937, -0.197562936282]]]},
 'simple_rnn': {'grads': [[[[-0.305707599757, 0.616423142054, 0.039154685794],
                            [-0.342906104864, 0.504220964622, 0.103300235021],
                            [0.01899922853, 0.127866456032, -0.055143278595],
                            [-0.479513790959, 0.546318465965, 0.194815545216]],
                           [[-0.00189910618, -0.149331472782, 0.048824737735],
                            [0.081658811709, -0.328008861318, 0.041355800649],
                            [0.134853081427, -0.552933863897, 0.071865249598],
                            [0.286971438704, -0.866571092354, 0.054573456492]]],
                          [[1.993951318557, 1.035645775845], [0.99054668759, -0.018427298652],
                           [-0.568267830424, -0.769644613412]],
                          [[-0.504410480311, -0.600105516131],
                           [-0.03635924325, -0.158957470964]],
                          [-1.493287184185, 1.425902397525]],
                'outs': [[[[0.066568661452, 0.304967698297], [0.210038963688, 0.496617313611],
                           [0.345044478233, -0.161223220988],
                           [-0.382861080595, 0.318800848871]],
                          [[-0.520109536847, 0.032045792335], [0.30158377397, 0.398894109813],
                           [-0.24384562533, -0.21770272422],
                           [0.774659112219, 0.503373148357]]],
                         [[-0.382861080595, 0.318800848871],
                          [0.774659112219, 0.503373148357]]]},
 'simple_rnn_relu_nobias': {'grads': [[[[3.0579326e-05, -0.000299809079, 7.162274e-05],
                                        [-0.008080531183, 0.007821528775, 0.003722172553],
                                        [0.015748657886, -0.012960156908, -0.007978755226],
                                        [-0.015668716293, 0.153620896043, -0.036699187245]],
                                       [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0],
                                        [0.197584512489, -0.584779229688, 0.033809924124]]],
                                      [[0.499102517553, 1.788061269831],
                                       [-0.179286635641, -0.456035709067],
                                       [0.086272291061, 0.337147756891]],
                                      [[0.005328237275, -0.098239967223],
                                       [0.00904440935, -0.000381079475]]],
                            'outs': [[[0.0, 0.201487141316],
                                      [0.784117751653, 0.409495992331]]]}}


def _make(case):
    return {
        "simple_rnn": lambda: L.SimpleRNN(2, return_sequences=True, return_state=True),
        "lstm": lambda: L.LSTM(2, return_sequences=True, return_state=True),
        "gru": lambda: L.GRU(2, return_sequences=True, return_state=True),
        "lstm_backwards": lambda: L.LSTM(2, go_backwards=True),
        "gru_backwards_seq": lambda: L.GRU(2, go_backwards=True, return_sequences=True),
        "simple_rnn_relu_nobias": lambda: L.SimpleRNN(2, activation="relu", use_bias=False),
        "bi_lstm_concat": lambda: L.Bidirectional(L.LSTM(2, return_sequences=True)),
        "bi_gru_sum_state": lambda: L.Bidirectional(L.GRU(2, return_state=True),
                                                    merge_mode="sum"),
        "bi_rnn_mul": lambda: L.Bidirectional(L.SimpleRNN(2), merge_mode="mul"),
        "bi_lstm_ave": lambda: L.Bidirectional(L.LSTM(2), merge_mode="ave"),
        "gru_reset_before": lambda: L.GRU(2, reset_after=False, return_state=True),
    }[case]()


def _flat(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


@pytest.mark.parametrize("case", sorted(TF_RECURRENT))
def test_outputs_states_and_gradients_equal_tf_keras(float64, case):
    layer = _make(case)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 3))
    layer.build(x.shape)
    layer.set_weights([rng.normal(size=tuple(v.shape)) * 0.5 for v in layer.weights])
    xt = tf.tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        outs = _flat(layer(xt))
        loss = sum(tf.reduce_sum(o * np.linspace(-1, 1, int(np.prod(tuple(o.shape))))
                                 .reshape(tuple(o.shape))) for o in outs)
    grads = tape.gradient(loss, [xt] + layer.trainable_weights)
    want = TF_RECURRENT[case]
    assert len(outs) == len(want["outs"]) and len(grads) == len(want["grads"])
    for got, expected in zip(outs, want["outs"]):
        np.testing.assert_allclose(got.detach().numpy(), expected, rtol=0, atol=1e-11)
    for got, expected in zip(grads, want["grads"]):
        np.testing.assert_allclose(got.detach().numpy(), expected, rtol=0, atol=1e-11)


# --- gradients checked numerically (float64, central differences) ----------------------------

def _recorded(f):
    def run(*args):
        with tf.GradientTape():
            return f(*args)
    return run


@pytest.mark.parametrize("make", [lambda: L.SimpleRNN(2, return_sequences=True),
                                  lambda: L.LSTM(2, go_backwards=True),
                                  lambda: L.GRU(2, return_sequences=True),
                                  lambda: L.GRU(2, reset_after=False)])
def test_gradients_numerically(float64, make):
    rng = np.random.default_rng(5)
    layer = make()
    layer.build((2, 3, 3))

    def f(x, kernel, recurrent, bias):
        layer.kernel, layer.recurrent_kernel, layer.bias = kernel, recurrent, bias
        return layer(x)
    inputs = [tf.tensor(rng.normal(size=(2, 3, 3)), requires_grad=True)] + \
        [tf.tensor(rng.normal(size=tuple(w.shape)) * 0.5, requires_grad=True)
         for w in (layer.kernel, layer.recurrent_kernel, layer.bias)]
    assert tf.gradcheck(_recorded(f), inputs)


# --- names, shapes, defaults, config ---------------------------------------------------------
#
# import numpy as np, tf_keras as keras
# for cls in [keras.layers.SimpleRNN, keras.layers.LSTM, keras.layers.GRU]:
#     l = cls(3); l(np.zeros((2, 4, 5), "float32"))
#     print([(w.name, tuple(w.shape)) for w in l.weights])
# b = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True))
# print(b(np.zeros((2, 4, 5), "float32")).shape, [w.name for w in b.weights])
# print(sorted(keras.layers.LSTM(3).get_config()))

TF_WEIGHTS = {
    "SimpleRNN": [("simple_rnn/simple_rnn_cell/kernel:0", (5, 3)),
                  ("simple_rnn/simple_rnn_cell/recurrent_kernel:0", (3, 3)),
                  ("simple_rnn/simple_rnn_cell/bias:0", (3,))],
    "LSTM": [("lstm/lstm_cell/kernel:0", (5, 12)), ("lstm/lstm_cell/recurrent_kernel:0", (3, 12)),
             ("lstm/lstm_cell/bias:0", (12,))],
    "GRU": [("gru/gru_cell/kernel:0", (5, 9)), ("gru/gru_cell/recurrent_kernel:0", (3, 9)),
            ("gru/gru_cell/bias:0", (2, 9))]}


@pytest.mark.parametrize("name", sorted(TF_WEIGHTS))
def test_weight_names_shapes_and_initial_values(name):
    layer = getattr(L, name)(3)
    layer(np.zeros((2, 4, 5), "float32"))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == TF_WEIGHTS[name]
    kernel, recurrent, bias = layer.get_weights()
    assert kernel.dtype == np.float32 and abs(kernel).max() <= np.sqrt(6 / (5 + kernel.shape[1]))
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-5)   # orthogonal
    if name == "LSTM":
        np.testing.assert_array_equal(bias, [0] * 3 + [1] * 3 + [0] * 6)   # unit_forget_bias
    else:
        assert not bias.any()
    assert getattr(L, name)(3).name == f"{layer.name}_1"


# import numpy as np, tf_keras as keras          (a fresh process)
# b = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True))
# print(b(np.zeros((2, 4, 5), "float32")).shape, [w.name for w in b.weights])

def test_bidirectional_weight_names_and_shapes():
    bi = L.Bidirectional(L.LSTM(3, return_sequences=True))
    assert bi(np.zeros((2, 4, 5), "float32")).shape == (2, 4, 6)
    assert [w.name for w in bi.weights] == [
        "bidirectional/forward_lstm/lstm_cell/kernel:0",
        "bidirectional/forward_lstm/lstm_cell/recurrent_kernel:0",
        "bidirectional/forward_lstm/lstm_cell/bias:0",
        "bidirectional/backward_lstm/lstm_cell/kernel:0",
        "bidirectional/backward_lstm/lstm_cell/recurrent_kernel:0",
        "bidirectional/backward_lstm/lstm_cell/bias:0"]
    assert bi.forward_layer.name == "forward_lstm" and not bi.forward_layer.go_backwards
    assert bi.backward_layer.name == "backward_lstm" and bi.backward_layer.go_backwards
    assert bi.count_params() == 2 * (5 * 12 + 3 * 12 + 12)
    forward, backward = bi.forward_layer.get_weights(), bi.backward_layer.get_weights()
    assert not np.array_equal(forward[0], backward[0])      # two layers, two draws


TF_LSTM_CONFIG_KEYS = [
    "activation", "activity_regularizer", "bias_constraint", "bias_initializer",
    "bias_regularizer", "dropout", "dtype", "go_backwards", "implementation",
    "kernel_constraint", "kernel_initializer", "kernel_regularizer", "name",
    "recurrent_activation", "recurrent_constraint", "recurrent_dropout",
    "recurrent_initializer", "recurrent_regularizer", "return_sequences", "return_state",
    "stateful", "time_major", "trainable", "unit_forget_bias", "units", "unroll", "use_bias"]


def test_config_round_trip_and_defaults():
    lstm = L.LSTM(3, return_sequences=True, go_backwards=True)
    config = lstm.get_config()
    assert set(config) <= set(TF_LSTM_CONFIG_KEYS)
    assert config["activation"] == "tanh" and config["recurrent_activation"] == "sigmoid"
    assert config["unit_forget_bias"] is True and config["recurrent_initializer"]["class_name"] \
        == "Orthogonal"
    clone = L.LSTM.from_config(config)
    assert (clone.units, clone.return_sequences, clone.go_backwards) == (3, True, True)
    assert L.GRU(2).get_config()["reset_after"] is True
    bi = L.Bidirectional(L.GRU(2), merge_mode="sum")
    again = L.Bidirectional.from_config(bi.get_config())
    assert again.merge_mode == "sum" and type(again.forward_layer) is L.GRU


def test_errors_and_refusals():
    with pytest.raises(ValueError, match="Invalid merge mode. Received: max. "):
        L.Bidirectional(L.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match='Merge mode should be one of {"sum", "mul", "ave", '):
        L.Bidirectional(L.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="wraps a recurrent layer"):
        L.Bidirectional(L.Dense(2))
    with pytest.raises(ValueError, match="positive integer"):
        L.LSTM(0)
    for kwargs in (dict(dropout=0.2), dict(recurrent_dropout=0.1), dict(stateful=True),
                   dict(time_major=True)):
        with pytest.raises(NotImplementedError):
            L.GRU(2, **kwargs)
    with pytest.raises(ValueError, match='Input 0 of layer "simple_rnn" is incompatible with '
                                         'the layer: expected ndim=3, found ndim=2'):
        L.SimpleRNN(2)(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="number must be known"):
        keras.Sequential([keras.Input((None, 3)), L.LSTM(2)])


def test_initial_state_and_states_carry_over(float64):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 6, 3))
    lstm = L.LSTM(2, return_state=True)
    out, h, c = lstm(x)
    np.testing.assert_array_equal(out.numpy(), h.numpy())
    _, h1, c1 = lstm(x[:, :3])
    out2, _, _ = lstm(x[:, 3:], initial_state=[h1, c1])     # the second half from the first's
    np.testing.assert_allclose(out2.numpy(), out.numpy(), rtol=0, atol=1e-13)
    with pytest.raises(ValueError, match="initial_state"):
        lstm(x, initial_state=[h1])


# --- a model that fits; summary --------------------------------------------------------------
#
# import numpy as np, tf_keras as keras
# keras.backend.set_floatx("float64")
# rng = np.random.default_rng(0)
# x, y = rng.normal(size=(8, 4, 3)), rng.normal(size=(8, 1))
# model = keras.Sequential([keras.Input((4, 3)),
#                           keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True)),
#                           keras.layers.GRU(2), keras.layers.Dense(1)])
# model.set_weights([np.linspace(-1, 1, w.size).reshape(w.shape) * 0.5
#                    for w in model.get_weights()])
# model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
# h = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
# print("loss", np.round(h.history["loss"], 12).tolist())
# print("dense", [w.round(12).tolist() for w in model.layers[-1].get_weights()])
# model.summary()

FIT_SUMMARY = """\
Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 bidirectional (Bidirection  (None, 4, 6)              168
 al)

 gru (GRU)                   (None, 2)                 60

 dense (Dense)               (None, 1)                 3

=================================================================
Total params: 231 (1.80 KB)
Trainable params: 231 (1.80 KB)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________"""


def _model():
    return keras.Sequential([keras.Input((4, 3)), L.Bidirectional(L.LSTM(3, return_sequences=True)),
                             L.GRU(2), L.Dense(1)])


def test_a_recurrent_model_fits_as_in_tf_keras(float64):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 4, 3)), rng.normal(size=(8, 1))
    model = _model()
    model.set_weights([np.linspace(-1, 1, w.size).reshape(w.shape) * 0.5
                       for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"],
                               [0.756177622777, 0.758477662707, 0.760852391464], rtol=1e-10)
    kernel, bias = model.layers[-1].get_weights()
    np.testing.assert_allclose(kernel, [[-0.487144643851], [0.495875562183]], rtol=0, atol=1e-10)
    np.testing.assert_allclose(bias, [-0.431570525553], rtol=0, atol=1e-10)
    assert _summary(model) == FIT_SUMMARY


def test_a_recurrent_model_saves_and_loads(tmp_path):
    tf.manual_seed(0)
    x = np.random.default_rng(3).normal(size=(6, 4, 3)).astype("float32")
    model = _model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, x[:, 0, :1], epochs=1, verbose=0)
    model.save(tmp_path / "rnn.keras")
    loaded = keras.models.load_model(tmp_path / "rnn.keras")
    assert type(loaded.layers[0]) is L.Bidirectional and type(loaded.layers[1]) is L.GRU
    assert [w.name for w in loaded.weights] == [w.name for w in model.weights]
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


# --- the functional API: return_state outputs, initial_state from another layer --------------
#
# import numpy as np, tf_keras as keras
# keras.backend.set_floatx("float64")
# L = keras.layers
# inp = keras.Input((5, 3))
# seq, h, c = L.LSTM(4, return_sequences=True, return_state=True)(inp)
# out = L.GRU(4)(seq, initial_state=h)
# bi = L.Bidirectional(L.LSTM(2, return_state=True))(seq)
# m = keras.Model(inp, [out, c, bi[0]])
# m.set_weights([np.linspace(-1, 1, w.size).reshape(w.shape) * 0.5 for w in m.get_weights()])
# x = np.random.default_rng(0).normal(size=(2, 5, 3))
# print([o.round(12).tolist() for o in m.predict(x, verbose=0)])
# m.summary()

FUNCTIONAL_OUTPUTS = [
    [[0.162784091222, 0.265760952264, 0.364746024296, 0.456892861592],
     [0.138933285832, 0.228662496912, 0.316253570287, 0.399754551375]],
    [[0.35115221145, 0.366226012826, 0.384178988922, 0.40532538572],
     [0.130487933308, 0.161350512739, 0.196170550696, 0.235402853947]],
    [[0.050260107645, 0.146364967945, 0.056371768711, 0.149518402592],
     [0.051093620817, 0.140362859192, 0.048442930659, 0.135719547387]]]

FUNCTIONAL_SUMMARY = """\
Model: "model"
__________________________________________________________________________________________________
 Layer (type)                Output Shape                 Param #   Connected to
==================================================================================================
 input_1 (InputLayer)        [(None, 5, 3)]               0         []

 lstm (LSTM)                 [(None, 5, 4),               128       ['input_1[0][0]']
                              (None, 4),
                              (None, 4)]

 gru (GRU)                   (None, 4)                    120       ['lstm[0][0]',
                                                                     'lstm[0][1]']

 bidirectional (Bidirection  [(None, 4),                  112       ['lstm[0][0]']
 al)                          (None, 2),
                              (None, 2),
                              (None, 2),
                              (None, 2)]

==================================================================================================
Total params: 360 (2.81 KB)
Trainable params: 360 (2.81 KB)
Non-trainable params: 0 (0.00 Byte)
__________________________________________________________________________________________________"""


def test_functional_states_and_initial_state_equal_tf_keras(float64):
    inp = keras.Input((5, 3))
    seq, h, c = L.LSTM(4, return_sequences=True, return_state=True)(inp)
    out = L.GRU(4)(seq, initial_state=h)
    bi = L.Bidirectional(L.LSTM(2, return_state=True))(seq)
    model = keras.Model(inp, [out, c, bi[0]])
    model.set_weights([np.linspace(-1, 1, w.size).reshape(w.shape) * 0.5
                       for w in model.get_weights()])
    x = np.random.default_rng(0).normal(size=(2, 5, 3))
    got = model.predict(x, verbose=0)
    assert len(got) == 3
    for a, b in zip(got, FUNCTIONAL_OUTPUTS):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-11)
    assert _summary(model) == FUNCTIONAL_SUMMARY


def test_mask_zero_warns_that_masks_are_not_propagated():
    """tf_keras skips padded steps after Embedding(mask_zero=True); tinyflow does not
    propagate masks yet, and says so rather than differ in silence."""
    with pytest.warns(UserWarning, match="does not propagate masks"):
        keras.layers.Embedding(10, 4, mask_zero=True)
