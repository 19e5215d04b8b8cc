// Harness self-test: the script runs in the script host of the side it was meant for (argument:
// AMD64 for the 64-bit cscript of system32, x86 for the 32-bit one of syswow64), and that side
// has our DLL registered. (Wine 8's ExpandEnvironmentStrings returns a string one character
// longer than the value, its terminating NUL: the Environment collection is read instead.)
var expected = WScript.Arguments(0);
var side = new ActiveXObject("WScript.Shell").Environment("PROCESS")("PROCESSOR_ARCHITECTURE");
WScript.Echo("script host: PROCESSOR_ARCHITECTURE " + side);
if (side != expected)
    throw new Error("the script runs in the " + side + " host, not the " + expected + " one");
var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.Root.AddDirectory("side");
if (image.DirectoryCount != 1)
    throw new Error("DirectoryCount " + image.DirectoryCount);
WScript.Echo("OPENFSI SCRIPT PASSED");
