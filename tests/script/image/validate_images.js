// IIsoImageManager::Validate from a script, on images other writers made:
//   cscript validate_images.js NAME=PATH...
// prints "NAME OK" or "NAME 0xHRESULT description" for each, then the marker line.
var manager = new ActiveXObject("IMAPI2FS.MsftIsoImageManager");
function hex(number) {
    return "0x" + (number >>> 0).toString(16).toUpperCase();
}
for (var i = 0; i < WScript.Arguments.length; i++) {
    var argument = WScript.Arguments(i), at = argument.indexOf("=");
    var name = argument.substring(0, at), path = argument.substring(at + 1);
    try {
        manager.SetPath(path);
        manager.Validate();
        WScript.Echo(name + " OK");
    } catch (e) {
        WScript.Echo(name + " " + hex(e.number) + " " + e.description);
    }
}
WScript.Echo("OPENFSI SCRIPT PASSED");
