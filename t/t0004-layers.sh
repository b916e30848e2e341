#!/bin/sh
test_description='common/: every module is in one layer of common/README and in its folder, includes none above it, and no two include each other'

. ./test-lib.sh

COMMON=$TEST_DIRECTORY/../common

# module_layers: "module rank" for each module common/README lists
module_layers() {
	sed -n 's/^layer [a-z]*: *//p' "$COMMON/README" |
	awk '{ for (i = 1; i <= NF; i++) print $i, NR }'
}

# include_edges: "module included" for each #include "x.h" in common/
include_edges() {
	for f in "$COMMON"/*/*.[ch]; do
		m=${f##*/} && m=${m%.[ch]} && m=${m%%_*} &&
		sed -n "s/^#include \"\\([a-z0-9]*\\)[a-z0-9_]*\\.h\".*/$m \\1/p" "$f" || return 1
	done | awk '$1 != $2' | sort -u
}

test_expect_success 'the README names seven layers and every module once' '
	module_layers >layers &&
	cut -d" " -f2 layers | sort -u >ranks && test_line_count = 7 ranks &&
	cut -d" " -f1 layers | sort >listed &&
	sort -u listed >unique && test_cmp unique listed &&
	for f in "$COMMON"/*/*.[ch]; do m=${f##*/} && m=${m%.[ch]} && echo "${m%%_*}" || return 1; done |
		sort -u >present &&
	test_cmp present listed &&
	find "$COMMON" -maxdepth 1 -type f -name "*.[ch]" >loose && test_must_be_empty loose
'

# folder_layers: "module folder" for each file under common/
folder_layers() {
	for f in "$COMMON"/*/*.[ch]; do
		m=${f##*/} && m=${m%.[ch]} && d=${f%/*} && echo "${m%%_*} ${d##*/}" || return 1
	done | sort -u
}

test_expect_success 'each file is in the folder of its layer, and each folder is a layer' '
	sed -n "s/^layer \([a-z]*\): *\(.*\)/\1 \2/p" "$COMMON/README" |
	awk "{ for (i = 2; i <= NF; i++) print \$i, \$1 }" | sort -u >want &&
	folder_layers >have &&
	test_cmp want have &&
	for d in "$COMMON"/*/; do d=${d%/} && echo "${d##*/}"; done | sort >folders &&
	sed -n "s/^layer \([a-z]*\):.*/\1/p" "$COMMON/README" | sort >layers &&
	test_cmp layers folders
'

test_expect_success 'no module includes a header of a higher layer' '
	module_layers >layers &&
	include_edges >edges &&
	test -s edges &&
	awk "NR == FNR { rank[\$1] = \$2; next }
		!(\$2 in rank) { print \$1 \" includes \" \$2 \".h, which is in no layer\"; next }
		rank[\$2] > rank[\$1] { print \$1 \" (layer \" rank[\$1] \") includes \" \$2 \".h (layer \" rank[\$2] \")\" }" \
		layers edges >wrong &&
	test_must_be_empty wrong
'

test_expect_success 'no two modules include each other, nor through others' '
	include_edges >edges &&
	awk "{ print \$1, \$2 }" edges | tsort >order 2>err &&
	test_must_be_empty err
'

test_expect_success 'the check sees a header of a higher layer, and a loop' '
	module_layers >layers &&
	{ include_edges && echo "chain node" && echo "hash chain"; } >edges.bad &&
	awk "NR == FNR { rank[\$1] = \$2; next }
		rank[\$2] > rank[\$1] { print \$1 \" includes \" \$2 }" layers edges.bad >wrong &&
	test_grep "^chain includes node\$" wrong &&
	test_grep "^hash includes chain\$" wrong &&
	{ include_edges && echo "hash chain"; } | tsort >/dev/null 2>loop;
	test_grep "loop" loop
'

test_expect_success 'cmdutil, which exits, is not in the library archive; no library module exits' '
	ar t "$BU_BUILD/libbu.a" >members &&
	test_grep "^chain.o\$" members &&
	test_grep ! "^cmdutil.o\$" members &&
	grep -l "\<exit(\|_exit(\|abort()" "$COMMON"/*/*.c >exits &&
	echo "$COMMON/command/cmdutil.c" >expect &&
	test_cmp expect exits
'

test_done
