#!/usr/bin/env python3
"""Make the regtest fixtures of t3300 from published transactions.

Written apart from the C code (hashlib and integers only) so that the
tests compare two implementations.  Not run by the tests; run it from
t/t3300 to rebuild the files it writes, and keep them as they are.

The transactions are BIP143's examples (bitcoin/bips, bip-0143.mediawiki):
three signed segwit transactions and two unsigned legacy ones.  The
blocks around them follow Bitcoin Core's regtest rules: BIP34 height in
the coinbase, a BIP141 witness commitment when a transaction has
witness data, every lock time final at the block's height.
"""
import hashlib
import struct

P2WPKH = "01000000000102fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f00000000494830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac000247304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee0121025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee635711000000"
P2SH_P2WPKH = "01000000000101db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a5477010000001716001479091972186c449eb1ded22b78e40d009bdf0089feffffff02b8b4eb0b000000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7ad0402e8bd8ad6d77c88ac02473044022047ac8e878352d3ebbde1c94ce3a10d057c24175747116f8288e5d794d12d482f0220217f36a485cae903c713331d877c1f64677e3622ad4010726870540656fe9dcb012103ad1d8e89212f0b92c74d23bb710c00662ad1470198ac48c43f7d6f93a2a2687392040000"
P2WSH_1 = "01000000000102fe3dc9208094f3ffd12645477b3dc56f60ec4fa8e6f5d67c565d1c6b9216b36e000000004847304402200af4e47c9b9629dbecc21f73af989bdaa911f7e6f6c2e9394588a3aa68f81e9902204f3fcf6ade7e5abb1295b6774c8e0abd94ae62217367096bc02ee5e435b67da201ffffffff0815cf020f013ed6cf91d29f4202e8a58726b1ac6c79da47c23d1bee0a6925f80000000000ffffffff0100f2052a010000001976a914a30741f8145e5acadf23f751864167f32e0963f788ac000347304402200de66acf4527789bfda55fc5459e214fa6083f936b430a762c629656216805ac0220396f550692cd347171cbc1ef1f51e15282e837bb2b30860dc77c8f78bc8501e503473044022027dc95ad6b740fe5129e7e62a75dd00f291a2aeb1200b84b09d9e3789406b6c002201a9ecd315dd6a0e632ab20bbb98948bc0c6fb204f2c286963bb48517a7058e27034721026dccc749adc2a9d0d89497ac511f760f45c47dc5ed9cf352a58ac706453880aeadab210255a9626aebf5e29c0e6538428ba0d1dcf6ca98ffdf086aa8ced5e0d0215ea465ac00000000"
P2WSH_2 = "01000000000102e9b542c5176808107ff1df906f46bb1f2583b16112b95ee5380665ba7fcfc0010000000000ffffffff80e68831516392fcd100d186b3c2c7b95c80b53c77e77c35ba03a66b429a2a1b0000000000ffffffff0280969800000000001976a914de4b231626ef508c9a74a8517e6783c0546d6b2888ac80969800000000001976a9146648a8cd4531e1ec47f35916de8e259237294d1e88ac02483045022100f6a10b8604e6dc910194b79ccfc93e1bc0ec7c03453caaa8987f7d6c3413566002206216229ede9b4d6ec2d325be245c5b508ff0339bf1794078e20bfe0babc7ffe683270063ab68210392972e2eb617b2388771abe27235fd5ac44af8e61693261550447a4c3e39da98ac024730440220032521802a76ad7bf74d0e2c218b72cf0cbc867066e2e53db905ba37f130397e02207709e2188ed7f08f4c952d9d13986da504502b8c3be59617e043552f506c46ff83275163ab68210392972e2eb617b2388771abe27235fd5ac44af8e61693261550447a4c3e39da98ac00000000"
P2SH_P2WSH_UNSIGNED = "010000000136641869ca081e70f394c6948e8af409e18b619df2ed74aa106c1ca29787b96e0100000000ffffffff0200e9a435000000001976a914389ffce9cd9ae88dcc0631e88a821ffdbe9bfe2688acc0832f05000000001976a9147480a33f950689af511e6e84c138dbbd3c3ee41588ac00000000"
P2WSH_1_UNSIGNED = "0100000002fe3dc9208094f3ffd12645477b3dc56f60ec4fa8e6f5d67c565d1c6b9216b36e0000000000ffffffff0815cf020f013ed6cf91d29f4202e8a58726b1ac6c79da47c23d1bee0a6925f80000000000ffffffff0100f2052a010000001976a914a30741f8145e5acadf23f751864167f32e0963f788ac00000000"

# Bitcoin's genesis coinbase, which regtest's genesis shares
GENESIS_CB = "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000"


def dsha(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def rev(h):
    return h[::-1].hex()


def varint(n):
    if n < 0xfd:
        return bytes([n])
    if n <= 0xffff:
        return b"\xfd" + struct.pack("<H", n)
    return b"\xfe" + struct.pack("<I", n)


def read_varint(b, i):
    c = b[i]
    if c < 0xfd:
        return c, i + 1
    k = {0xfd: 2, 0xfe: 4, 0xff: 8}[c]
    return int.from_bytes(b[i + 1:i + 1 + k], "little"), i + 1 + k


def parse_tx(b):
    """(version, inputs, outputs, witnesses, locktime) of one whole transaction."""
    i = 4
    version = b[:4]
    seg = b[4] == 0 and b[5] == 1
    if seg:
        i = 6
    n, i = read_varint(b, i)
    ins = []
    for _ in range(n):
        op = b[i:i + 36]
        ln, i = read_varint(b, i + 36)
        ins.append((op, b[i:i + ln], b[i + ln:i + ln + 4]))
        i += ln + 4
    n, i = read_varint(b, i)
    outs = []
    for _ in range(n):
        v = b[i:i + 8]
        ln, i = read_varint(b, i + 8)
        outs.append((v, b[i:i + ln]))
        i += ln
    wits = []
    if seg:
        for _ in ins:
            k, i = read_varint(b, i)
            items = []
            for _ in range(k):
                ln, i = read_varint(b, i)
                items.append(b[i:i + ln])
                i += ln
            wits.append(items)
    lock = b[i:i + 4]
    assert i + 4 == len(b), "trailing bytes"
    return version, ins, outs, wits, lock


def serialize(version, ins, outs, wits, lock, witness=True):
    r = version
    seg = witness and any(wits)
    if seg:
        r += b"\x00\x01"
    r += varint(len(ins))
    for op, sig, seq in ins:
        r += op + varint(len(sig)) + sig + seq
    r += varint(len(outs))
    for v, spk in outs:
        r += v + varint(len(spk)) + spk
    if seg:
        for items in wits:
            r += varint(len(items)) + b"".join(varint(len(x)) + x for x in items)
    return r + lock


def txid(raw):
    return dsha(serialize(*parse_tx(raw), witness=False))


def merkle(ids):
    level = list(ids)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [dsha(level[k] + level[k + 1]) for k in range(0, len(level), 2)]
    return level[0]


def height_push(h):
    if h <= 16:
        return bytes([0x50 + h if h else 0])
    n = h.to_bytes((h.bit_length() + 8) // 8, "little").rstrip(b"\x00")
    if n[-1] & 0x80:
        n += b"\x00"
    return bytes([len(n)]) + n


def coinbase(height, others):
    """A coinbase paying 50 coins to OP_TRUE; with a commitment when others have witness data."""
    sig = height_push(height) + b"\x0ablockutils"
    ins = [(b"\x00" * 32 + b"\xff" * 4, sig, b"\xff" * 4)]
    outs = [(struct.pack("<q", 50 * 10**8), b"\x51")]
    wits = []
    if any(parse_tx(t)[3] and any(parse_tx(t)[3]) for t in others):
        reserved = b"\x00" * 32
        wroot = merkle([b"\x00" * 32] + [dsha(t) for t in others])
        commit = dsha(wroot + reserved)
        outs.append((b"\x00" * 8, bytes.fromhex("6a24aa21a9ed") + commit))
        wits = [[reserved]]
    return serialize(b"\x02\x00\x00\x00", ins, outs, wits, b"\x00" * 4)


def mine(version, prev, root, time, bits=0x207fffff):
    exp, mant = bits >> 24, bits & 0xffffff
    target = mant << (8 * (exp - 3))
    for nonce in range(1 << 32):
        h = struct.pack("<I32s32sIII", version, prev, root, time, bits, nonce)
        if int.from_bytes(dsha(h), "little") <= target:
            return h
    raise SystemExit("no nonce")


def block(height, prev, time, txs):
    raws = [bytes.fromhex(t) for t in txs]
    for r in raws:
        assert serialize(*parse_tx(r)) == r, "round trip"
    cb = coinbase(height, raws)
    all_txs = [cb] + raws
    root = merkle([txid(t) for t in all_txs])
    head = mine(0x20000000, prev, root, time)
    return head + varint(len(all_txs)) + b"".join(all_txs), all_txs


def main():
    cb = bytes.fromhex(GENESIS_CB)
    root = txid(cb)
    head = struct.pack("<I32s32sIII", 1, b"\x00" * 32, root, 1296688602, 0x207fffff, 2)
    ghash = dsha(head)
    assert rev(ghash) == "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"
    genesis = head + b"\x01" + cb

    b1, t1 = block(1, ghash, 1296689202, [P2WSH_2, P2SH_P2WSH_UNSIGNED])
    b2, t2 = block(2, dsha(b1[:80]), 1296689802, [P2WSH_1_UNSIGNED])
    with open("regtest-chain.hex", "w") as f:
        for b in (genesis, b1, b2):
            f.write(b.hex() + "\n")
    b9, t9 = block(2000, dsha(b2[:80]), 1296690402, [P2WPKH, P2SH_P2WPKH, P2WSH_1])
    with open("regtest-2000.hex", "w") as f:
        f.write(b9.hex() + "\n")
    with open("regtest-2000-txids.txt", "w") as f:
        for t in t9:
            f.write(rev(txid(t)) + "\n")
    with open("regtest-2000-wtxids.txt", "w") as f:
        for t in t9:
            f.write(rev(dsha(t)) + "\n")
    with open("regtest-1-txids.txt", "w") as f:
        for t in t1:
            f.write(rev(txid(t)) + "\n")
    with open("regtest-hashes.txt", "w") as f:
        for name, b in (("0", genesis), ("1", b1), ("2", b2), ("2000", b9)):
            f.write("%s %s\n" % (name, rev(dsha(b[:80]))))


main()
