' Harness self-test: a script that finds a wrong value quits with exit code 1, which
' run-script.sh must report as a failure.
Dim image
Set image = CreateObject("IMAPI2FS.MsftFileSystemImage")
If image.FileSystemsSupported <> 8 Then WScript.Quit 1
WScript.Echo "OPENFSI SCRIPT PASSED"
